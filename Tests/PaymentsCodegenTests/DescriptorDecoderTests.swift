import Testing

@testable import PaymentsCodegen

@Suite("Descriptor decoding")
struct DescriptorDecoderTests {
    @Test("real descriptor set has every file")
    func files() async throws {
        let set = try DescriptorDecoder.decodeSet(try await ProtoFixture.descriptorSetBytes())
        #expect(set.files.map(\.name) == ProtoFixture.protoFiles)
        #expect(set.files.map(\.package) == ["rpc.v1", "rpc.v1", "payments.v1"])
    }

    @Test("messages, fields and comments")
    func messages() async throws {
        let set = try DescriptorDecoder.decodeSet(try await ProtoFixture.descriptorSetBytes())
        let envelope = try #require(set.files.first)
        #expect(
            envelope.messages.map(\.name) == [
                "MetadataEntry", "ConnectionSettings", "CallHeader", "CallStatus", "GoAway",
            ])

        let header = envelope.messages[2]
        #expect(
            header.fields.map(\.name) == [
                "method", "timeout_micros", "authorization", "idempotency_key", "request_id", "trace_parent",
                "metadata",
            ])
        let metadata = header.fields[6]
        #expect(metadata.number == 7)
        #expect(metadata.label == .repeated)
        #expect(metadata.type == .message)
        #expect(metadata.typeName == ".rpc.v1.MetadataEntry")
        #expect(metadata.jsonName == "metadata")
        #expect(header.fields[1].type == .uint64)
        #expect(header.fields[1].jsonName == "timeoutMicros")

        #expect(
            envelope.leadingComment(at: [4, 2])
                == " First message of every call, carried in the REQUEST frame before the request message.\n")
        #expect(envelope.leadingComment(at: [4, 2, 2, 4])?.contains("Caller-chosen id") == true)
    }

    @Test("enums and their values")
    func enums() async throws {
        let set = try DescriptorDecoder.decodeSet(try await ProtoFixture.descriptorSetBytes())
        let statusCode = try #require(set.files[0].enums.first)
        #expect(statusCode.name == "StatusCode")
        #expect(statusCode.values.count == 17)
        #expect(statusCode.values[3] == EnumValueDescriptor(name: "INVALID_ARGUMENT", number: 3))
        #expect(set.files[0].leadingComment(at: [5, 0, 2, 0]) == " The call completed successfully.\n")
    }

    @Test("services, streaming and idempotency levels")
    func services() async throws {
        let set = try DescriptorDecoder.decodeSet(try await ProtoFixture.descriptorSetBytes())
        let health = try #require(set.files[1].services.first)
        #expect(health.name == "Health")
        #expect(health.methods.first?.idempotencyLevel == .noSideEffects)

        let payments = try #require(set.files[2].services.first)
        #expect(
            payments.methods.map(\.name) == [
                "RegisterPayment", "ConfirmPayment", "FailPayment", "RefundPayment", "GetPayment", "ListPayments",
                "WatchEvents",
            ])
        #expect(
            payments.methods.map(\.idempotencyLevel) == [
                .unknown, .unknown, .unknown, .unknown, .noSideEffects, .noSideEffects, .noSideEffects,
            ])
        #expect(payments.methods.map(\.serverStreaming) == [false, false, false, false, false, false, true])
        #expect(payments.methods[6].inputType == ".payments.v1.WatchEventsRequest")
        #expect(payments.methods[6].outputType == ".payments.v1.Event")
    }

    @Test("hand-made file with unknown fields")
    func handMadeBytes() throws {
        // FileDescriptorProto: name "a.proto", an unknown field 99 (varint), a message "M" with
        // one field {name "x", number 1, label 3, type 9}, and an unknown fixed32 field 98.
        let field: [UInt8] = [0x0A, 0x01, 0x78, 0x18, 0x01, 0x20, 0x03, 0x28, 0x09]
        let message: [UInt8] = [0x0A, 0x01, 0x4D, 0x12, UInt8(field.count)] + field
        let file: [UInt8] =
            [0x0A, 0x07] + Array("a.proto".utf8) + [0x98, 0x06, 0x05] + [0x22, UInt8(message.count)] + message
            + [0x95, 0x06, 1, 2, 3, 4]
        let set = try DescriptorDecoder.decodeSet([0x0A, UInt8(file.count)] + file)

        #expect(set.files.count == 1)
        #expect(set.files[0].name == "a.proto")
        let decodedField = try #require(set.files[0].messages.first?.fields.first)
        #expect(decodedField.name == "x")
        #expect(decodedField.label == .repeated)
        #expect(decodedField.type == .string)
    }

    @Test("truncated descriptor set throws")
    func truncatedSet() async throws {
        let bytes = try await ProtoFixture.descriptorSetBytes()
        for length in [1, 2, 10, bytes.count / 2, bytes.count - 1] {
            #expect(throws: CodegenError.self) { try DescriptorDecoder.decodeSet(Array(bytes.prefix(length))) }
        }
    }

    @Test("undefined field type throws")
    func undefinedType() throws {
        var reader = WireReader([0x28, 0x13])
        let error = try #require(throws: CodegenError.self) { try DescriptorDecoder.decodeField(&reader) }
        #expect(error.code == .invalidDescriptor)
    }
}
