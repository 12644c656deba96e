/// Produces the text of every generated file from a descriptor set and a configuration.
struct Generator {
    var set: DescriptorSet
    var configuration: CodegenConfiguration

    /// Returns generated source text keyed by output path, for example
    /// `Sources/RPCMessages/Generated/envelope.pb.swift`.
    func generateFiles() throws(CodegenError) -> [String: String] {
        let registry = TypeRegistry(set)
        var outputs: [String: String] = [:]
        for output in configuration.outputs {
            guard let file = set.files.first(where: { $0.name == output.protoFile }) else {
                throw CodegenError(
                    .invalidConfiguration,
                    "\(output.protoFile) is not in the descriptor set; pass it to protoc-c or fix the configuration")
            }
            let path: String
            let text: String
            switch output.kind {
            case .messages:
                path = output.directory + "/" + MessageFileGenerator.outputFileName(for: file.name)
                text = try MessageFileGenerator(
                    file: file, module: output.module, registry: registry, configuration: configuration
                ).generate()
            case .services:
                path = output.directory + "/" + ServiceFileGenerator.outputFileName(for: file.name)
                text = try ServiceFileGenerator(file: file, registry: registry, configuration: configuration)
                    .generate()
            }
            guard outputs[path] == nil else {
                throw CodegenError(
                    .invalidConfiguration, "two .proto files generate \(path); give them different file names")
            }
            outputs[path] = text
        }
        return outputs
    }
}
