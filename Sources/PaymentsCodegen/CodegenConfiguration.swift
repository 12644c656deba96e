/// Output module and directory of the generated Swift of each .proto file, read from a configuration file.
///
/// Each non-empty line that does not start with `#` has four words:
/// `messages|services PROTO_FILE SWIFT_MODULE OUTPUT_DIRECTORY`, for example
/// `messages rpc/v1/envelope.proto RPCMessages Sources/RPCMessages/Generated`.
struct CodegenConfiguration: Equatable {
    /// Kind of code that a configuration line requests.
    enum OutputKind: String {
        /// Message structs and enums of the file.
        case messages
        /// Service protocols and client stubs of the file.
        case services
    }

    /// One line of the configuration.
    struct Output: Equatable {
        var kind: OutputKind
        var protoFile: String
        var module: String
        var directory: String
    }

    var outputs: [Output] = []

    init(outputs: [Output]) {
        self.outputs = outputs
    }

    init(parsing text: String) throws(CodegenError) {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimming(" \t\r")
            guard !line.isEmpty, !line.hasPrefix("#") else {
                continue
            }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count == 4, let kind = OutputKind(rawValue: words[0]) else {
                throw CodegenError(
                    .invalidConfiguration,
                    "line \(index + 1) is \"\(line)\"; expected `messages|services PROTO_FILE MODULE DIRECTORY`")
            }
            outputs.append(Output(kind: kind, protoFile: words[1], module: words[2], directory: words[3]))
        }
    }

    /// Returns the module that contains the messages of `protoFile`, or nil when no line names it.
    func messageModule(of protoFile: String) -> String? {
        outputs.first { $0.kind == .messages && $0.protoFile == protoFile }?.module
    }
}
