/// Every message and enum of a descriptor set, found by its fully qualified name.
struct TypeRegistry {
    /// Kind of a registered name: a message or an enum.
    enum Kind: Equatable {
        case message(MessageDescriptor)
        case `enum`(EnumDescriptor)
    }

    /// One registered type.
    struct Entry {
        var kind: Kind
        /// Name without the leading dot, for example `rpc.v1.CallHeader`.
        var fullName: String
        /// Name of the Swift type, for example `CallHeader`.
        var swiftName: String
        /// .proto file that declares the type.
        var protoFile: String
    }

    private var entries: [String: Entry] = [:]

    init(_ set: DescriptorSet) {
        for file in set.files {
            let prefix = file.package.isEmpty ? "" : file.package + "."
            for message in file.messages {
                register(
                    Entry(
                        kind: .message(message), fullName: prefix + message.name, swiftName: message.name,
                        protoFile: file.name))
            }
            for descriptor in file.enums {
                register(
                    Entry(
                        kind: .enum(descriptor), fullName: prefix + descriptor.name, swiftName: descriptor.name,
                        protoFile: file.name))
            }
        }
    }

    private mutating func register(_ entry: Entry) {
        entries["." + entry.fullName] = entry
    }

    /// Returns the type of a field's or method's `type_name`, for example `.rpc.v1.MetadataEntry`.
    ///
    /// - Throws: `CodegenError.Code.unsupportedConstruct` for a name that no top-level declaration has,
    ///   which is the case for nested types. `context` names the field or method in the message.
    func entry(named typeName: String, context: String) throws(CodegenError) -> Entry {
        guard let entry = entries[typeName] else {
            throw CodegenError(
                .unsupportedConstruct,
                "\(context) refers to \(typeName), which is not a top-level message or enum; "
                    + "nested types are not supported, so move it to the top level of its file")
        }
        return entry
    }
}
