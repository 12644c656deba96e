/// Swift and protobuf-c form of one .proto field.
struct FieldPlan {
    /// Value type of one element of the field, as the generator supports it.
    enum ValueType: Equatable {
        case string
        case bytes
        case int32
        case int64
        case uint32
        case uint64
        case bool
        /// An enum: Swift type name, C type name, Swift expression of its default case.
        case `enum`(swiftName: String, cName: String, defaultCase: String)
        /// A message: Swift type name.
        case message(swiftName: String)
    }

    var field: FieldDescriptor
    var valueType: ValueType
    var isRepeated: Bool
    /// Swift property name, for example `paymentID`.
    var swiftName: String
    /// C struct member, for example `payment_id`.
    var cMember: String

    /// Plans `field` of `messageName`, or throws for a field type or shape the generator does not support.
    init(
        _ field: FieldDescriptor, in message: MessageDescriptor, messageName: String, module: String,
        registry: TypeRegistry, configuration: CodegenConfiguration
    ) throws(CodegenError) {
        let context = "field \(field.name) of message \(messageName)"
        if field.oneofIndex != nil || field.isProto3Optional {
            throw CodegenError(.unsupportedConstruct, "\(context) is in a oneof, which the generator does not support")
        }
        if field.label == .required {
            throw CodegenError(.unsupportedConstruct, "\(context) is `required`, which proto3 does not allow")
        }

        self.field = field
        self.isRepeated = field.label == .repeated
        self.swiftName = SwiftNaming.lowerCamelCase(field.name)
        self.cMember = ProtobufCNaming.memberName(field.name)

        switch field.type {
        case .string:
            valueType = .string
        case .bytes:
            valueType = .bytes
        case .int32:
            valueType = .int32
        case .int64:
            valueType = .int64
        case .uint32:
            valueType = .uint32
        case .uint64:
            valueType = .uint64
        case .bool:
            valueType = .bool
        case .enum, .message:
            let isMap = message.nestedMessages.contains { $0.isMapEntry && field.typeName.hasSuffix("." + $0.name) }
            if isMap && field.label == .repeated {
                throw CodegenError(.unsupportedConstruct, "\(context) is a map, which the generator does not support")
            }
            let entry = try registry.entry(named: field.typeName, context: context)
            guard configuration.messageModule(of: entry.protoFile) == module else {
                throw CodegenError(
                    .unsupportedConstruct,
                    "\(context) uses \(entry.fullName) of \(entry.protoFile), whose messages are not generated into "
                        + "module \(module); generate both files into one module")
            }
            switch entry.kind {
            case .message:
                valueType = .message(swiftName: entry.swiftName)
            case .enum(let descriptor):
                let zero = descriptor.values.first { $0.number == 0 }
                let defaultCase =
                    zero.map {
                        "." + SwiftNaming.enumCaseName($0.name, enumName: descriptor.name)
                    } ?? ".unrecognized(0)"
                valueType = .enum(
                    swiftName: entry.swiftName, cName: ProtobufCNaming.typeName(entry.fullName),
                    defaultCase: defaultCase)
            }
        default:
            throw CodegenError(
                .unsupportedConstruct,
                "\(context) has type \(field.type), which the generator does not support; "
                    + "use string, bytes, int32, int64, uint32, uint64, bool, an enum or a message")
        }
    }

    /// Swift type of one element.
    var elementType: String {
        switch valueType {
        case .string: "String"
        case .bytes: "[UInt8]"
        case .int32: "Int32"
        case .int64: "Int64"
        case .uint32: "UInt32"
        case .uint64: "UInt64"
        case .bool: "Bool"
        case .enum(let swiftName, _, _): swiftName
        case .message(let swiftName): swiftName
        }
    }

    /// Swift type of the property: an array when repeated, an optional for a singular message.
    var propertyType: String {
        if isRepeated {
            return "[\(elementType)]"
        }
        if case .message = valueType {
            return elementType + "?"
        }
        return elementType
    }

    /// Swift expression of the proto3 default value.
    var defaultValue: String {
        if isRepeated {
            return "[]"
        }
        switch valueType {
        case .string: return "\"\""
        case .bytes: return "[]"
        case .int32, .int64, .uint32, .uint64: return "0"
        case .bool: return "false"
        case .enum(_, _, let defaultCase): return defaultCase
        case .message: return "nil"
        }
    }
}
