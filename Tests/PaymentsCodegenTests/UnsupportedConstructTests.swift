import Testing

@testable import PaymentsCodegen

@Suite("Unsupported .proto constructs")
struct UnsupportedConstructTests {
    static let configuration = CodegenConfiguration(outputs: [
        .init(kind: .messages, protoFile: "t.proto", module: "M", directory: "Out"),
        .init(kind: .services, protoFile: "t.proto", module: "S", directory: "Services"),
    ])

    static func generate(_ file: FileDescriptor, configuration: CodegenConfiguration = configuration) throws {
        _ = try Generator(set: DescriptorSet(files: [file]), configuration: configuration).generateFiles()
    }

    static func file(messages: [MessageDescriptor], services: [ServiceDescriptor] = []) -> FileDescriptor {
        FileDescriptor(name: "t.proto", package: "t", messages: messages, services: services)
    }

    static func expectError(containing text: String, _ body: () throws -> Void) throws {
        let error = try #require(throws: CodegenError.self) { try body() }
        #expect(error.code == .unsupportedConstruct)
        #expect(error.message.contains(text), "message was: \(error.message)")
    }

    @Test("oneof field names the field")
    func oneof() throws {
        var field = FieldDescriptor(name: "choice", number: 1, type: .string)
        field.oneofIndex = 0
        let message = MessageDescriptor(name: "M", fields: [field], oneofNames: ["kind"])
        try Self.expectError(containing: "field choice of message M is in a oneof") {
            try Self.generate(Self.file(messages: [message]))
        }
    }

    @Test("map field names the field")
    func map() throws {
        let entry = MessageDescriptor(name: "LabelsEntry", isMapEntry: true)
        let field = FieldDescriptor(
            name: "labels", number: 1, label: .repeated, type: .message, typeName: ".t.M.LabelsEntry")
        let message = MessageDescriptor(name: "M", fields: [field], nestedMessages: [entry])
        try Self.expectError(containing: "field labels of message M is a map") {
            try Self.generate(Self.file(messages: [message]))
        }
    }

    @Test("double field names the field and type")
    func double() throws {
        let message = MessageDescriptor(name: "M", fields: [FieldDescriptor(name: "ratio", number: 1, type: .double)])
        try Self.expectError(containing: "field ratio of message M has type double") {
            try Self.generate(Self.file(messages: [message]))
        }
    }

    @Test("nested message is rejected")
    func nestedMessage() throws {
        let message = MessageDescriptor(name: "M", nestedMessages: [MessageDescriptor(name: "Inner")])
        try Self.expectError(containing: "nested message Inner") {
            try Self.generate(Self.file(messages: [message]))
        }
    }

    @Test("client streaming method is rejected")
    func clientStreaming() throws {
        let method = MethodDescriptor(name: "Upload", inputType: ".t.M", outputType: ".t.M", clientStreaming: true)
        let file = Self.file(
            messages: [MessageDescriptor(name: "M")], services: [ServiceDescriptor(name: "S", methods: [method])])
        try Self.expectError(containing: "method Upload of service S streams requests") {
            try Self.generate(file)
        }
    }

    @Test("enum alias is rejected")
    func enumAlias() throws {
        var file = Self.file(messages: [])
        file.enums = [EnumDescriptor(name: "E", values: [.init(name: "A", number: 0), .init(name: "B", number: 0)])]
        try Self.expectError(containing: "enum E gives number 0 to B") {
            try Self.generate(file)
        }
    }

    @Test("file missing from the descriptor set")
    func missingFile() throws {
        let configuration = CodegenConfiguration(outputs: [
            .init(kind: .messages, protoFile: "other.proto", module: "M", directory: "Out")
        ])
        let error = try #require(throws: CodegenError.self) {
            try Self.generate(Self.file(messages: []), configuration: configuration)
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("other.proto is not in the descriptor set"))
    }

    @Test("configuration lines")
    func configurationParsing() throws {
        let configuration = try CodegenConfiguration(
            parsing: """
                # comment
                messages  a/b.proto  ModuleA  Sources/ModuleA/Generated

                services a/b.proto ModuleS Sources/ModuleS/Generated
                """)
        #expect(
            configuration.outputs == [
                .init(
                    kind: .messages, protoFile: "a/b.proto", module: "ModuleA", directory: "Sources/ModuleA/Generated"),
                .init(
                    kind: .services, protoFile: "a/b.proto", module: "ModuleS", directory: "Sources/ModuleS/Generated"),
            ])
        #expect(configuration.messageModule(of: "a/b.proto") == "ModuleA")
        #expect(throws: CodegenError.self) { try CodegenConfiguration(parsing: "message a.proto M Out") }
        #expect(throws: CodegenError.self) { try CodegenConfiguration(parsing: "messages a.proto M") }
    }
}
