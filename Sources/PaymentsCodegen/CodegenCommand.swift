import Foundation

/// The `payments-codegen` command: reads a descriptor set and a configuration, writes the generated Swift files.
struct CodegenCommand {
    static let usage = """
        usage: payments-codegen --descriptor-set FILE --config FILE
          --descriptor-set FILE  FileDescriptorSet written by `protoc-c --include_source_info --descriptor_set_out`
          --config FILE          lines of `messages|services PROTO_FILE MODULE DIRECTORY`; directories are relative
                                 to the current directory
        """

    var descriptorSetPath: String
    var configurationPath: String

    init(arguments: [String]) throws(CodegenError) {
        var descriptorSetPath: String?
        var configurationPath: String?
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard let value = remaining.popFirst() else {
                throw CodegenError(.invalidArguments, "option \(argument) needs a value\n\(Self.usage)")
            }
            switch argument {
            case "--descriptor-set":
                descriptorSetPath = value
            case "--config":
                configurationPath = value
            default:
                throw CodegenError(.invalidArguments, "unknown option \(argument)\n\(Self.usage)")
            }
        }
        guard let descriptorSetPath, let configurationPath else {
            throw CodegenError(.invalidArguments, "both --descriptor-set and --config are required\n\(Self.usage)")
        }
        self.descriptorSetPath = descriptorSetPath
        self.configurationPath = configurationPath
    }

    /// Generates every file that the configuration lists and deletes stale generated files beside them.
    func run() throws(CodegenError) {
        let set = try DescriptorDecoder.decodeSet(try Self.readBytes(descriptorSetPath))
        let configurationText = String(decoding: try Self.readBytes(configurationPath), as: UTF8.self)
        let configuration = try CodegenConfiguration(parsing: configurationText)

        let outputs = try Generator(set: set, configuration: configuration).generateFiles()
        for directory in Set(configuration.outputs.map(\.directory)).sorted() {
            try Self.removeStaleFiles(in: directory, keeping: Set(outputs.keys))
        }
        for (path, text) in outputs.sorted(by: { $0.key < $1.key }) {
            try Self.write(text, to: path)
        }
    }

    private static func readBytes(_ path: String) throws(CodegenError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CodegenError(.fileSystem, "cannot read \(path); check that it exists and is readable")
        }
        return [UInt8](data)
    }

    private static func write(_ text: String, to path: String) throws(CodegenError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CodegenError(.fileSystem, "cannot write \(path): \(error)")
        }
    }

    /// Deletes `*.pb.swift` and `*.rpc.swift` files that this run did not produce, so a removed .proto file
    /// leaves no stale Swift behind.
    private static func removeStaleFiles(in directory: String, keeping kept: Set<String>) throws(CodegenError) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return
        }
        for name in names where name.hasSuffix(".pb.swift") || name.hasSuffix(".rpc.swift") {
            let path = directory + "/" + name
            guard !kept.contains(path) else {
                continue
            }
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw CodegenError(.fileSystem, "cannot delete stale generated file \(path): \(error)")
            }
        }
    }
}
