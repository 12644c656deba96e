import Foundation

extension TokenFile {
    /// The top-level JSON object of the file.
    struct Contents: Codable {
        var version: Int
        var tokens: [TokenRecord]
    }

    /// Decodes and validates the file's bytes.
    ///
    /// Error messages name the path, the entry index and the rule that failed, never a digest,
    /// and always end with the fix.
    func decode(_ bytes: [UInt8]) throws(AuthError) -> [TokenRecord] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601

        let contents: Contents
        do {
            contents = try decoder.decode(Contents.self, from: Data(bytes))
        } catch {
            throw corrupt("it is not valid token file JSON (\(Self.describe(error)))")
        }
        guard contents.version == Self.formatVersion else {
            throw corrupt("format version \(contents.version) is not supported, expected \(Self.formatVersion)")
        }

        var names: Set<String> = []
        for (index, record) in contents.tokens.enumerated() {
            do {
                try TokenName.validate(record.name)
            } catch {
                throw corrupt("entry \(index) has an invalid name")
            }
            guard names.insert(record.name).inserted else {
                throw corrupt("entry \(index) repeats the name '\(record.name)'")
            }
            guard record.digestBytes != nil else {
                throw corrupt("entry \(index) ('\(record.name)') has a sha256 that is not 64 hex digits")
            }
            guard !record.scopes.isEmpty else {
                throw corrupt("entry \(index) ('\(record.name)') has no scopes")
            }
        }
        return contents.tokens
    }

    private func corrupt(_ problem: String) -> AuthError {
        AuthError(
            code: .tokenFileCorrupt,
            message: "token file '\(path)' is corrupt: \(problem). Restore it from a backup, fix the entry by hand, "
                + "or move it away and create new tokens")
    }

    /// Describes a decoding error by its kind and coding path only, because the default
    /// description can quote values from the file.
    private static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else {
            return "unreadable JSON"
        }
        switch decodingError {
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "malformed JSON" : "invalid value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath))"
        @unknown default:
            return "unreadable JSON"
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        let components = codingPath.map { key in
            key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)"
        }
        return components.isEmpty ? "the top level" : "$" + components.joined()
    }
}
