/// The subset of `google/protobuf/descriptor.proto` that the generator reads.
///
/// Field numbers in the comments are those of descriptor.proto.

/// `FileDescriptorSet`: every file that protoc compiled, dependencies first.
struct DescriptorSet: Equatable {
    var files: [FileDescriptor] = []
}

/// `FileDescriptorProto`.
struct FileDescriptor: Equatable {
    /// Path relative to the import root, for example `rpc/v1/envelope.proto` (field 1).
    var name = ""
    /// Package, for example `rpc.v1` (field 2).
    var package = ""
    var dependencies: [String] = []
    var messages: [MessageDescriptor] = []
    var enums: [EnumDescriptor] = []
    var services: [ServiceDescriptor] = []
    var locations: [SourceLocation] = []

    /// Returns the leading comment of the element at `path`, or nil when it has none.
    func leadingComment(at path: [Int32]) -> String? {
        locations.first { $0.path == path && $0.leadingComments != nil }?.leadingComments
    }
}

/// `DescriptorProto`.
struct MessageDescriptor: Equatable {
    var name = ""
    var fields: [FieldDescriptor] = []
    var nestedMessages: [MessageDescriptor] = []
    var nestedEnums: [EnumDescriptor] = []
    var oneofNames: [String] = []
    /// `MessageOptions.map_entry` (field 7): protoc made this message for a `map<K, V>` field.
    var isMapEntry = false
}

/// `FieldDescriptorProto`.
struct FieldDescriptor: Equatable {
    /// `FieldDescriptorProto.Label`.
    enum Label: Int32 {
        case optional = 1
        case required = 2
        case repeated = 3
    }

    /// `FieldDescriptorProto.Type`.
    enum FieldType: Int32 {
        case double = 1
        case float = 2
        case int64 = 3
        case uint64 = 4
        case int32 = 5
        case fixed64 = 6
        case fixed32 = 7
        case bool = 8
        case string = 9
        case group = 10
        case message = 11
        case bytes = 12
        case uint32 = 13
        case `enum` = 14
        case sfixed32 = 15
        case sfixed64 = 16
        case sint32 = 17
        case sint64 = 18
    }

    var name = ""
    var number: Int32 = 0
    var label = Label.optional
    var type = FieldType.int32
    /// Fully qualified name of a message or enum type, for example `.rpc.v1.MetadataEntry`.
    var typeName = ""
    var jsonName = ""
    var oneofIndex: Int32?
    var isProto3Optional = false
}

/// `EnumDescriptorProto`.
struct EnumDescriptor: Equatable {
    var name = ""
    var values: [EnumValueDescriptor] = []
}

/// `EnumValueDescriptorProto`.
struct EnumValueDescriptor: Equatable {
    var name = ""
    var number: Int32 = 0
}

/// `ServiceDescriptorProto`.
struct ServiceDescriptor: Equatable {
    var name = ""
    var methods: [MethodDescriptor] = []
}

/// `MethodDescriptorProto`.
struct MethodDescriptor: Equatable {
    /// `MethodOptions.IdempotencyLevel`, read from `MethodOptions` field 34.
    enum IdempotencyLevel: Int32 {
        case unknown = 0
        case noSideEffects = 1
        case idempotent = 2
    }

    var name = ""
    var inputType = ""
    var outputType = ""
    var clientStreaming = false
    var serverStreaming = false
    var idempotencyLevel = IdempotencyLevel.unknown
}

/// `SourceCodeInfo.Location`: the comments attached to one element of a file.
struct SourceLocation: Equatable {
    /// Path of field numbers and indexes from the file to the element, for example `[4, 0, 2, 1]`
    /// for the second field of the first message.
    var path: [Int32] = []
    var leadingComments: String?
}
