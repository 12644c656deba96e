/// An error of the code generator: bad input bytes, an unsupported .proto construct, a bad configuration or I/O.
struct CodegenError: Error, Equatable, CustomStringConvertible {
    /// Stable identifier of what went wrong.
    enum Code: String, Sendable {
        /// The descriptor bytes end inside a value.
        case truncatedInput = "truncated_input"
        /// A varint is longer than 10 bytes or overflows 64 bits.
        case malformedVarint = "malformed_varint"
        /// A tag carries a wire type that Protocol Buffers does not define, or a field number of 0.
        case invalidTag = "invalid_tag"
        /// A descriptor value is outside the range descriptor.proto allows.
        case invalidDescriptor = "invalid_descriptor"
        /// The .proto files use a construct the generator does not support.
        case unsupportedConstruct = "unsupported_construct"
        /// The configuration file is malformed or names a file that is not in the descriptor set.
        case invalidConfiguration = "invalid_configuration"
        /// Reading or writing a file failed.
        case fileSystem = "file_system"
        /// The command line is malformed.
        case invalidArguments = "invalid_arguments"
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String {
        "\(code.rawValue): \(message)"
    }
}
