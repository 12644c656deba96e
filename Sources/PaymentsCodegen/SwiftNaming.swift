/// Naming rules that turn .proto names into Swift names and into the C names protoc-c 1.4.1 emits.
enum SwiftNaming {
    /// Converts `snake_case` or `SCREAMING_SNAKE` to lowerCamelCase; the whole word `id` becomes `ID`
    /// after the first word (`payment_id` becomes `paymentID`).
    static func lowerCamelCase(_ name: String) -> String {
        let words = name.split(separator: "_").map { $0.lowercased() }
        var result = ""
        for (index, word) in words.enumerated() {
            if index == 0 {
                result += word
            } else if word == "id" {
                result += "ID"
            } else {
                result += word.prefix(1).uppercased() + word.dropFirst()
            }
        }
        return result
    }

    /// Converts a CamelCase type name to SCREAMING_SNAKE (`PaymentMethod` becomes `PAYMENT_METHOD`).
    static func screamingSnakeCase(_ name: String) -> String {
        var result = ""
        for (index, character) in name.enumerated() {
            if character.isUppercase && index > 0 {
                result += "_"
            }
            result += character.uppercased()
        }
        return result
    }

    /// Returns the enum value name without the enum's own SCREAMING_SNAKE name as prefix, when it has that prefix
    /// and something that can start an identifier follows it.
    static func strippedEnumValueName(_ valueName: String, enumName: String) -> String {
        let prefix = screamingSnakeCase(enumName) + "_"
        guard valueName.hasPrefix(prefix) else {
            return valueName
        }
        let rest = valueName.dropFirst(prefix.count)
        guard let first = rest.first, first.isLetter else {
            return valueName
        }
        return String(rest)
    }

    /// Swift case name of an enum value (`START_FROM_LIVE_END` in `StartFrom` becomes `liveEnd`).
    static func enumCaseName(_ valueName: String, enumName: String) -> String {
        lowerCamelCase(strippedEnumValueName(valueName, enumName: enumName))
    }

    /// proto3 JSON name of an enum value: lower case, without the enum prefix (`partially_refunded`).
    static func enumJSONName(_ valueName: String, enumName: String) -> String {
        strippedEnumValueName(valueName, enumName: enumName).lowercased()
    }

    /// Converts an RPC method name to lowerCamelCase (`RegisterPayment` becomes `registerPayment`).
    static func methodName(_ name: String) -> String {
        lowerCamelCase(screamingSnakeCase(name))
    }

    /// Wraps a name in backticks when Swift reserves it in the position of a declaration.
    static func escapedIdentifier(_ name: String) -> String {
        reservedWords.contains(name) ? "`\(name)`" : name
    }

    private static let reservedWords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
        "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
        "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
        "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
        "try", "Type", "Protocol",
    ]
}
