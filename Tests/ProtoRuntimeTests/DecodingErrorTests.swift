import PaymentsMessages
import ProtoRuntime
import RPCMessages
import Testing

/// Deterministic SplitMix64 generator, so that a failing random input can be reproduced from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

@Suite("Decoding invalid bytes")
struct DecodingErrorTests {
    @Test("length claiming 2^31-1 bytes throws")
    func hugeLength() {
        // Field 1 (method), length-delimited, length 0x7FFFFFFF as a varint, then 3 bytes of payload.
        let bytes: [UInt8] = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x61, 0x62, 0x63]
        #expect(throws: ProtoDecodingError.self) { try CallHeader(serializedBytes: bytes) }
        #expect(throws: ProtoDecodingError.self) { try Payment(serializedBytes: bytes) }
    }

    @Test("error names the message and the byte count")
    func errorContents() {
        let bytes: [UInt8] = [0x0A, 0x05, 0x61]
        #expect(throws: ProtoDecodingError(messageName: "rpc.v1.CallHeader", byteCount: 3)) {
            try CallHeader(serializedBytes: bytes)
        }
    }

    @Test("truncated varint throws")
    func truncatedVarint() {
        #expect(throws: ProtoDecodingError.self) { try CallHeader(serializedBytes: [0x10, 0xFF, 0xFF]) }
    }

    @Test("wrong wire type for a known field throws")
    func wrongWireType() {
        // Field 2 (timeout_micros) sent as length-delimited.
        #expect(throws: ProtoDecodingError.self) { try CallHeader(serializedBytes: [0x12, 0x01, 0x00]) }
    }

    @Test("random bytes never trap", arguments: [UInt64(1), 2, 3, 4])
    func randomBytes(seed: UInt64) {
        var generator = SplitMix64(state: seed)
        var decodedCount = 0
        var rejectedCount = 0
        for _ in 0..<100 {
            let length = Int.random(in: 1...64, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for decode in Self.decoders {
                if decode(bytes) {
                    decodedCount += 1
                } else {
                    rejectedCount += 1
                }
            }
        }
        #expect(decodedCount + rejectedCount == 100 * Self.decoders.count)
        #expect(rejectedCount > 0)
    }

    /// Decoders of every generated message; each returns whether the bytes decoded.
    static let decoders: [@Sendable ([UInt8]) -> Bool] = [
        { (try? CallHeader(serializedBytes: $0)) != nil },
        { (try? CallStatus(serializedBytes: $0)) != nil },
        { (try? ConnectionSettings(serializedBytes: $0)) != nil },
        { (try? GoAway(serializedBytes: $0)) != nil },
        { (try? MetadataEntry(serializedBytes: $0)) != nil },
        { (try? HealthCheckRequest(serializedBytes: $0)) != nil },
        { (try? HealthCheckResponse(serializedBytes: $0)) != nil },
        { (try? Payment(serializedBytes: $0)) != nil },
        { (try? Refund(serializedBytes: $0)) != nil },
        { (try? RegisterPaymentRequest(serializedBytes: $0)) != nil },
        { (try? RefundPaymentResponse(serializedBytes: $0)) != nil },
        { (try? ListPaymentsResponse(serializedBytes: $0)) != nil },
        { (try? WatchEventsRequest(serializedBytes: $0)) != nil },
        { (try? Event(serializedBytes: $0)) != nil },
    ]
}
