/// Builder of indented Swift source text.
struct CodeWriter {
    private(set) var text = ""
    private var indentLevel = 0
    /// Column limit that doc comments are wrapped to; `.swift-format` sets the same line length.
    static let lineLength = 120

    /// Appends one line at the current indentation; an empty string appends an empty line.
    mutating func line(_ content: String = "") {
        if content.isEmpty {
            text += "\n"
        } else {
            text += String(repeating: "    ", count: indentLevel) + content + "\n"
        }
    }

    /// Appends the lines that `body` writes one level deeper.
    mutating func indented(_ body: (inout CodeWriter) throws(CodegenError) -> Void) throws(CodegenError) {
        indentLevel += 1
        defer { indentLevel -= 1 }
        try body(&self)
    }

    /// Appends a function signature on one line, or with its parameters on their own line when one line is
    /// longer than the line length.
    ///
    /// `head` ends with the opening parenthesis and `effects` starts with the closing one, for example
    /// `func get(`, `_ request: Request` and `) async throws -> Response {`.
    mutating func signature(_ head: String, parameters: String, effects: String) throws(CodegenError) {
        let oneLine = head + parameters + effects
        if indentLevel * 4 + oneLine.count <= Self.lineLength {
            line(oneLine)
            return
        }
        line(head)
        try indented { writer throws(CodegenError) in writer.line(parameters) }
        line(effects)
    }

    /// Appends a `///` comment, wrapping each paragraph of `comment` to the line length.
    ///
    /// Does nothing when `comment` is nil or blank.
    mutating func documentation(_ comment: String?) {
        guard let comment else {
            return
        }
        let prefix = String(repeating: "    ", count: indentLevel) + "///"
        var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimming(" \t") }
        while lines.first?.isEmpty == true {
            lines.removeFirst()
        }
        while lines.last?.isEmpty == true {
            lines.removeLast()
        }
        for content in lines {
            if content.isEmpty {
                text += prefix + "\n"
                continue
            }
            for wrapped in Self.wrap(content, width: Self.lineLength - prefix.count - 1) {
                text += prefix + " " + wrapped + "\n"
            }
        }
    }

    /// Splits `content` at spaces into lines of at most `width` characters; a longer word gets its own line.
    static func wrap(_ content: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in content.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty {
            lines.append(current)
        }
        return lines
    }
}
