extension MessageFileGenerator {
    /// Writes a Swift enum that keeps unknown wire values in `unrecognized`, so they survive a round trip.
    func writeEnum(_ descriptor: EnumDescriptor, path: [Int32], to writer: inout CodeWriter) throws(CodegenError) {
        var seenNumbers = Set<Int32>()
        var cases: [(value: EnumValueDescriptor, caseName: String)] = []
        for value in descriptor.values {
            guard seenNumbers.insert(value.number).inserted else {
                throw CodegenError(
                    .unsupportedConstruct,
                    "enum \(descriptor.name) gives number \(value.number) to \(value.name) and to an earlier value; "
                        + "aliases (allow_alias) are not supported")
            }
            cases.append((value, SwiftNaming.enumCaseName(value.name, enumName: descriptor.name)))
        }
        let typeName = SwiftNaming.escapedIdentifier(descriptor.name)

        writer.documentation(file.leadingComment(at: path))
        writer.line("public enum \(typeName): Sendable, Hashable, CaseIterable {")
        try writer.indented { writer throws(CodegenError) in
            for (index, entry) in cases.enumerated() {
                writer.documentation(file.leadingComment(at: path + [2, Int32(index)]))
                writer.line("case \(SwiftNaming.escapedIdentifier(entry.caseName))")
            }
            writer.line(
                "/// A number that this version of the .proto file does not define, kept so that it survives a round trip."
            )
            writer.line("case unrecognized(Int32)")

            writer.line()
            writer.line("/// The cases the .proto file defines, in its order.")
            writer.line("public static let allCases: [\(typeName)] = [")
            try writer.indented { writer throws(CodegenError) in
                for entry in cases {
                    writer.line(".\(entry.caseName),")
                }
            }
            writer.line("]")

            writer.line()
            writer.line(
                "/// Creates the case of a wire number. A number that the .proto file does not define becomes `unrecognized`."
            )
            writer.line("public init(rawValue: Int32) {")
            try writer.indented { writer throws(CodegenError) in
                writer.line("switch rawValue {")
                for entry in cases {
                    writer.line("case \(entry.value.number):")
                    try writer.indented { writer throws(CodegenError) in writer.line("self = .\(entry.caseName)") }
                }
                writer.line("default:")
                try writer.indented { writer throws(CodegenError) in writer.line("self = .unrecognized(rawValue)") }
                writer.line("}")
            }
            writer.line("}")

            try writeSwitchProperty(
                documentation: "Wire number of the case.", declaration: "public var rawValue: Int32", cases: cases,
                value: { "\($0.number)" }, unrecognized: "value", to: &writer)
            try writeSwitchProperty(
                documentation: "Name of the value in the .proto file, for example `\(cases.first?.value.name ?? "")`, "
                    + "or the decimal number for `unrecognized`.",
                declaration: "public var protoName: String", cases: cases, value: { "\"\($0.name)\"" },
                unrecognized: "String(value)", to: &writer)
            try writeSwitchProperty(
                documentation: "proto3 JSON form of the value: the lower-case name without the enum's prefix, "
                    + "or the number for `unrecognized`.",
                declaration: "var protoJSONValue: Any", cases: cases,
                value: { "\"\(SwiftNaming.enumJSONName($0.name, enumName: descriptor.name))\"" },
                unrecognized: "value", to: &writer)
        }
        writer.line("}")
    }

    private func writeSwitchProperty(
        documentation: String, declaration: String, cases: [(value: EnumValueDescriptor, caseName: String)],
        value: (EnumValueDescriptor) -> String, unrecognized: String, to writer: inout CodeWriter
    ) throws(CodegenError) {
        writer.line()
        writer.documentation(documentation)
        writer.line("\(declaration) {")
        try writer.indented { writer throws(CodegenError) in
            writer.line("switch self {")
            for entry in cases {
                writer.line("case .\(entry.caseName):")
                try writer.indented { writer throws(CodegenError) in writer.line("return \(value(entry.value))") }
            }
            writer.line("case .unrecognized(let value):")
            try writer.indented { writer throws(CodegenError) in writer.line("return \(unrecognized)") }
            writer.line("}")
        }
        writer.line("}")
    }
}
