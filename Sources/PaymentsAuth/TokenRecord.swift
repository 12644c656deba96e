import Foundation

/// One entry of the token file: a token's name, scopes, SHA-256 digest and creation time.
///
/// Encoded as `{"name": …, "scopes": [...], "sha256": "<64 lowercase hex digits>", "created":
/// "<ISO 8601>"}`. It never contains the token itself.
struct TokenRecord: Codable, Sendable, Equatable {
    var name: String
    var scopes: [Scope]
    var sha256: String
    var created: Date

    /// The digest as 32 bytes, or nil when `sha256` is not 64 hex digits.
    var digestBytes: [UInt8]? {
        Hex.decode(sha256, byteCount: 32)
    }

    var summary: TokenSummary {
        TokenSummary(name: name, scopes: Set(scopes), created: created)
    }
}

/// A token as `TokenFile.list()` returns it: everything but the digest.
public struct TokenSummary: Sendable, Hashable {
    /// The name given at creation, unique in its token file.
    public var name: String
    /// The scopes the token grants.
    public var scopes: Set<Scope>
    /// When the token was created, to the second.
    public var created: Date

    /// The scopes in the order they are printed: sorted by name, comma-separated.
    public var scopeList: String {
        scopes.sorted().map(\.rawValue).joined(separator: ",")
    }
}

/// Rules for token names.
public enum TokenName {
    /// Maximum characters in a name.
    public static let maxLength = 64

    /// Throws `AuthError` with code `invalidTokenName` unless `name` is 1 to 64 characters of
    /// `A-Z a-z 0-9 . _ -`. The character set keeps names safe to print in logs and terminals.
    public static func validate(_ name: String) throws(AuthError) {
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
        guard !name.isEmpty, name.utf8.count <= maxLength, allowed else {
            throw AuthError(
                code: .invalidTokenName,
                message: "invalid token name; use 1 to \(maxLength) characters of A-Z, a-z, 0-9, '.', '_' and '-'")
        }
    }
}

/// Lowercase hexadecimal encoding of digests.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes exactly `byteCount` bytes of lowercase or uppercase hex; returns nil otherwise.
    static func decode(_ text: String, byteCount: Int) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count == byteCount * 2 else {
            return nil
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        var index = 0
        while index < characters.count {
            guard let high = nibble(characters[index]), let low = nibble(characters[index + 1]) else {
                return nil
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
