/// The C names that protoc-c 1.4.1 gives to types, functions and struct members (its `c_helpers.cc`).
enum ProtobufCNaming {
    /// C struct or enum type of a fully qualified name: `rpc.v1.CallHeader` becomes `Rpc__V1__CallHeader`.
    static func typeName(_ fullName: String) -> String {
        fullName.split(separator: ".").map { camelCase(String($0)) }.joined(separator: "__")
    }

    /// Prefix of the C functions of a message: `rpc.v1.CallHeader` becomes `rpc__v1__call_header`.
    static func functionPrefix(_ fullName: String) -> String {
        fullName.split(separator: ".").map { lowerSnakeCase(String($0)) }.joined(separator: "__")
    }

    /// C struct member of a field: the name in lower case, with `_` appended to a C keyword.
    static func memberName(_ fieldName: String) -> String {
        let lowered = fieldName.lowercased()
        return cKeywords.contains(lowered) ? lowered + "_" : lowered
    }

    /// protoc-c's `ToCamel`: capitalizes the first letter and each letter after `_`, and drops the `_`.
    private static func camelCase(_ name: String) -> String {
        var result = ""
        var capitalizeNext = true
        for character in name {
            if character == "_" {
                capitalizeNext = true
            } else if capitalizeNext {
                result += character.uppercased()
                capitalizeNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// protoc-c's `CamelToLower`: inserts `_` before an upper-case letter that follows a lower-case one.
    private static func lowerSnakeCase(_ name: String) -> String {
        var result = ""
        var previousWasUppercase = true
        for character in name {
            let isUppercase = character.isUppercase
            if isUppercase && !previousWasUppercase {
                result += "_"
            }
            result += character.lowercased()
            previousWasUppercase = isUppercase
        }
        return result
    }

    private static let cKeywords: Set<String> = [
        "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char", "class",
        "compl", "const", "const_cast", "continue", "default", "delete", "do", "double", "dynamic_cast", "else",
        "enum", "explicit", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
        "mutable", "namespace", "new", "not", "not_eq", "operator", "or", "or_eq", "private", "protected",
        "public", "register", "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_cast",
        "struct", "switch", "template", "this", "throw", "true", "try", "typedef", "typeid", "typename", "union",
        "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
    ]
}
