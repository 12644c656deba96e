import ProtoRuntime
import RPCMessages
import Testing

@Suite("RPCMessages round trips")
struct RPCMessagesRoundTripTests {
    static let metadata = [
        MetadataEntry(key: "refundable_minor_units", value: "1500"),
        MetadataEntry(key: "motivo", value: "devolución parcial ✓ 日本"),
        MetadataEntry(key: "", value: ""),
    ]

    static let fullHeader = CallHeader(
        method: "/payments.v1.PaymentService/GetPayment",
        timeoutMicros: UInt64.max,
        authorization: "Bearer tok_ñandú",
        idempotencyKey: "key-0123456789abcdef",
        requestID: "req-42",
        traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        metadata: metadata)

    @Test("call header with every field set")
    func callHeader() throws {
        let decoded = try CallHeader(serializedBytes: Self.fullHeader.serializedBytes())
        #expect(decoded == Self.fullHeader)
        #expect(decoded.metadata[1].value == "devolución parcial ✓ 日本")
        #expect(decoded.timeoutMicros == UInt64.max)
    }

    @Test("call status with every field set", arguments: StatusCode.allCases)
    func callStatus(code: StatusCode) throws {
        let status = CallStatus(
            code: code, message: "refund exceeds payment: 1500 left", domainCode: "REFUND_EXCEEDS_PAYMENT",
            details: Self.metadata, retryable: true, notProcessed: true)
        let decoded = try CallStatus(serializedBytes: status.serializedBytes())
        #expect(decoded == status)
        #expect(decoded.code == code)
    }

    @Test("connection settings at maximum values")
    func connectionSettings() throws {
        let settings = ConnectionSettings(
            protocolVersion: 1, maxFrameSize: UInt32.max, maxMessageSize: 4 << 20, maxConcurrentCalls: 100,
            initialStreamCredit: UInt32.max - 1)
        #expect(try ConnectionSettings(serializedBytes: settings.serializedBytes()) == settings)
    }

    @Test("go away with every field set")
    func goAway() throws {
        let goAway = GoAway(lastCallID: UInt32.max, code: .unavailable, message: "draining: SIGTERM")
        #expect(try GoAway(serializedBytes: goAway.serializedBytes()) == goAway)
    }

    @Test("health messages")
    func health() throws {
        let request = HealthCheckRequest(service: "payments.v1.PaymentService")
        #expect(try HealthCheckRequest(serializedBytes: request.serializedBytes()) == request)
        for status in ServingStatus.allCases + [.unrecognized(7)] {
            let response = HealthCheckResponse(status: status)
            #expect(try HealthCheckResponse(serializedBytes: response.serializedBytes()) == response)
        }
    }

    @Test("unrecognized status codes survive", arguments: [Int32(17), 1000, Int32.max, -1, Int32.min])
    func unrecognizedStatusCode(rawValue: Int32) throws {
        let status = CallStatus(code: StatusCode(rawValue: rawValue), message: "from a newer server")
        #expect(status.code == .unrecognized(rawValue))

        let decoded = try CallStatus(serializedBytes: status.serializedBytes())
        #expect(decoded.code == .unrecognized(rawValue))
        #expect(decoded.code.rawValue == rawValue)
    }

    @Test("default messages encode to no bytes")
    func defaultsEncodeEmpty() throws {
        #expect(CallHeader().serializedBytes().isEmpty)
        #expect(CallStatus().serializedBytes().isEmpty)
        #expect(GoAway().serializedBytes().isEmpty)
        #expect(ConnectionSettings().serializedBytes().isEmpty)
    }

    @Test("empty buffer decodes to the default message")
    func emptyBuffer() throws {
        #expect(try CallHeader(serializedBytes: []) == CallHeader())
        #expect(try CallStatus(serializedBytes: []) == CallStatus())
        #expect(try CallStatus(serializedBytes: []).code == .ok)
        #expect(try GoAway(serializedBytes: []) == GoAway())
        #expect(try HealthCheckResponse(serializedBytes: []).status == .unknown)
    }

    @Test("known wire bytes decode")
    func knownBytes() throws {
        // Field 1 (method) = "/a", field 2 (timeout_micros) = 300 as the varint AC 02.
        let bytes: [UInt8] = [0x0A, 0x02, 0x2F, 0x61, 0x10, 0xAC, 0x02]
        let header = try CallHeader(serializedBytes: bytes)
        #expect(header.method == "/a")
        #expect(header.timeoutMicros == 300)
        #expect(header.serializedBytes() == bytes)
    }

    @Test("enum names and raw values")
    func enumNames() {
        #expect(StatusCode.invalidArgument.protoName == "INVALID_ARGUMENT")
        #expect(StatusCode.invalidArgument.rawValue == 3)
        #expect(StatusCode.ok.protoName == "OK")
        #expect(StatusCode(rawValue: 13) == .internal)
        #expect(StatusCode.unrecognized(99).protoName == "99")
        #expect(ServingStatus.unknown.protoName == "SERVING_STATUS_UNKNOWN")
        #expect(StatusCode.allCases.count == 17)
        #expect(StatusCode.allCases.map(\.rawValue) == Array(0...16))
    }
}
