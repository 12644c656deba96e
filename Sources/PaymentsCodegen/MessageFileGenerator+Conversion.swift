extension MessageFileGenerator {
    /// Writes the extension that decodes, encodes and converts a message to its protobuf-c struct and JSON.
    func writeConversions(
        _ message: MessageDescriptor, fields: [FieldPlan], to writer: inout CodeWriter
    ) throws(CodegenError) {
        let swiftName = SwiftNaming.escapedIdentifier(message.name)
        let cType = ProtobufCNaming.typeName(fullName(message.name))
        let cFunctions = ProtobufCNaming.functionPrefix(fullName(message.name))

        writer.line("extension \(swiftName) {")
        try writer.indented { writer throws(CodegenError) in
            writer.documentation(
                "Decodes the message with protobuf-c, copies every field into Swift and frees the C message.")
            writer.line("///")
            writer.line("/// - Throws: `ProtoDecodingError` when protobuf-c rejects the bytes.")
            writer.line("public init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError) {")
            try writer.indented { writer throws(CodegenError) in
                writer.line("let unpacked = bytes.withUnsafeBufferPointer { buffer in")
                try writer.indented { writer throws(CodegenError) in
                    writer.line("\(cFunctions)__unpack(nil, buffer.count, buffer.baseAddress)")
                }
                writer.line("}")
                writer.line("guard let unpacked else {")
                try writer.indented { writer throws(CodegenError) in
                    writer.line("throw ProtoDecodingError(messageName: Self.protoMessageName, byteCount: bytes.count)")
                }
                writer.line("}")
                writer.line("defer { \(cFunctions)__free_unpacked(unpacked, nil) }")
                writer.line("self.init(cMessage: unpacked.pointee)")
            }
            writer.line("}")

            writer.line()
            writer.line("/// Encodes the message through a protobuf-c struct whose memory an arena frees afterwards.")
            writer.line("public func serializedBytes() -> [UInt8] {")
            try writer.indented { writer throws(CodegenError) in
                writer.line("let arena = CAllocationArena()")
                writer.line("var cMessage = makeCMessage(arena: arena)")
                writer.line("return withExtendedLifetime(arena) { packProtobufCMessage(&cMessage) }")
            }
            writer.line("}")

            writer.line()
            writer.line(
                "/// Copies a protobuf-c message into Swift values. The C message keeps ownership of its memory.")
            writer.line("init(cMessage: \(cType)) {")
            try writer.indented { writer throws(CodegenError) in
                writer.line("self.init()")
                for plan in fields {
                    if plan.isRepeated {
                        writer.line(
                            "let \(plan.swiftName)Elements = UnsafeBufferPointer(start: cMessage.\(plan.cMember), "
                                + "count: cMessage.n_\(plan.cMember))")
                    }
                    writer.line("self.\(plan.swiftName) = \(decodeExpression(plan))")
                }
            }
            writer.line("}")

            writer.line()
            writer.line("/// Builds the protobuf-c struct of the message, with every pointer in it owned by `arena`.")
            writer.line("func makeCMessage(arena: CAllocationArena) -> \(cType) {")
            try writer.indented { writer throws(CodegenError) in
                writer.line("var cMessage = \(cType)()")
                writer.line("\(cFunctions)__init(&cMessage)")
                for plan in fields {
                    if plan.isRepeated {
                        writer.line("cMessage.n_\(plan.cMember) = self.\(plan.swiftName).count")
                    }
                    writer.line("cMessage.\(plan.cMember) = \(encodeExpression(plan))")
                }
                writer.line("return cMessage")
            }
            writer.line("}")

            writer.line()
            writer.documentation(
                "proto3 JSON form of the message for `JSONSerialization`: keys are the .proto field names, "
                    + "64-bit integers stay numbers, enums are lower-case names, bytes are Base64, "
                    + "and an unset message field is left out.")
            writer.line("public func protoJSONObject() -> [String: Any] {")
            try writer.indented { writer throws(CodegenError) in
                writer.line(fields.isEmpty ? "let object: [String: Any] = [:]" : "var object: [String: Any] = [:]")
                for plan in fields {
                    if case .message = plan.valueType, !plan.isRepeated {
                        writer.line("if let value = self.\(plan.swiftName) {")
                        try writer.indented { writer throws(CodegenError) in
                            writer.line("object[\"\(plan.field.name)\"] = value.protoJSONObject()")
                        }
                        writer.line("}")
                    } else {
                        writer.line("object[\"\(plan.field.name)\"] = \(jsonExpression(plan))")
                    }
                }
                writer.line("return object")
            }
            writer.line("}")
        }
        writer.line("}")
    }

    private func decodeExpression(_ plan: FieldPlan) -> String {
        let member = "cMessage.\(plan.cMember)"
        guard plan.isRepeated else {
            switch plan.valueType {
            case .string:
                return "stringFromProtobufC(\(member))"
            case .bytes:
                return "[UInt8](UnsafeBufferPointer(start: \(member).data, count: \(member).len))"
            case .int32, .int64, .uint32, .uint64:
                return member
            case .bool:
                return "\(member) != 0"
            case .enum(let swiftName, _, _):
                return "\(swiftName)(rawValue: Int32(truncatingIfNeeded: \(member).rawValue))"
            case .message(let swiftName):
                return "\(member).map { \(swiftName)(cMessage: $0.pointee) }"
            }
        }
        let elements = "\(plan.swiftName)Elements"
        switch plan.valueType {
        case .string:
            return "\(elements).map { stringFromProtobufC($0) }"
        case .bytes:
            return "\(elements).map { [UInt8](UnsafeBufferPointer(start: $0.data, count: $0.len)) }"
        case .int32, .int64, .uint32, .uint64:
            return "Array(\(elements))"
        case .bool:
            return "\(elements).map { $0 != 0 }"
        case .enum(let swiftName, _, _):
            return "\(elements).map { \(swiftName)(rawValue: Int32(truncatingIfNeeded: $0.rawValue)) }"
        case .message(let swiftName):
            return "\(elements).compactMap { $0?.pointee }.map { \(swiftName)(cMessage: $0) }"
        }
    }

    private func encodeExpression(_ plan: FieldPlan) -> String {
        let value = "self.\(plan.swiftName)"
        guard plan.isRepeated else {
            switch plan.valueType {
            case .string:
                return "arena.duplicate(\(value))"
            case .bytes:
                return "ProtobufCBinaryData(len: \(value).count, data: arena.copyBytes(\(value)))"
            case .int32, .int64, .uint32, .uint64:
                return value
            case .bool:
                return "\(value) ? 1 : 0"
            case .enum(_, let cName, _):
                return "\(cName)(rawValue: .init(truncatingIfNeeded: \(value).rawValue))"
            case .message:
                return "\(value).map { arena.store($0.makeCMessage(arena: arena)) }"
            }
        }
        switch plan.valueType {
        case .string:
            return "arena.duplicateArray(\(value))"
        case .bytes:
            return "arena.copyArray(\(value).map { ProtobufCBinaryData(len: $0.count, data: arena.copyBytes($0)) })"
        case .int32, .int64, .uint32, .uint64:
            return "arena.copyArray(\(value))"
        case .bool:
            return "arena.copyArray(\(value).map { $0 ? protobuf_c_boolean(1) : protobuf_c_boolean(0) })"
        case .enum(_, let cName, _):
            return "arena.copyArray(\(value).map { \(cName)(rawValue: .init(truncatingIfNeeded: $0.rawValue)) })"
        case .message:
            return "arena.storeArray(\(value).map { $0.makeCMessage(arena: arena) })"
        }
    }

    private func jsonExpression(_ plan: FieldPlan) -> String {
        let value = "self.\(plan.swiftName)"
        switch (plan.valueType, plan.isRepeated) {
        case (.bytes, false):
            return "protoJSONBase64(\(value))"
        case (.bytes, true):
            return "\(value).map { protoJSONBase64($0) }"
        case (.enum, false):
            return "\(value).protoJSONValue"
        case (.enum, true):
            return "\(value).map { $0.protoJSONValue }"
        case (.message, _):
            return "\(value).map { $0.protoJSONObject() }"
        default:
            return value
        }
    }
}
