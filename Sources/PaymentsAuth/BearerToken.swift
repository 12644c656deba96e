import Foundation

/// Generation, format check and hashing of bearer tokens.
///
/// A token is `ptk_` followed by 43 characters of unpadded base64url (RFC 4648 section 5)
/// encoding 32 random bytes from OpenSSL, so it carries 256 bits of randomness. The prefix makes a
/// leaked token easy to recognise in secret scanners. Only the SHA-256 digest of the token's UTF-8
/// bytes is ever stored.
public enum BearerToken {
    /// Prefix of every token.
    public static let prefix = "ptk_"
    /// Random bytes per token.
    public static let randomByteCount = 32
    /// Characters after the prefix: 32 bytes in unpadded base64url.
    public static let encodedLength = 43
    /// Characters of a whole token, prefix included.
    public static var length: Int { prefix.count + encodedLength }

    /// Generates a new token from OpenSSL's CSPRNG. Throws `AuthError` with code `cryptoFailure`
    /// when `RAND_bytes` fails.
    public static func generate() throws(AuthError) -> String {
        let bytes = try OpenSSL.randomBytes(count: randomByteCount)
        return prefix + base64URLEncoded(bytes)
    }

    /// Returns whether `token` has the token format: the prefix and 43 base64url characters.
    ///
    /// The check runs before hashing so that a malformed header is reported as malformed, not as
    /// an unknown token. A valid format does not mean that the token was issued.
    public static func hasValidFormat(_ token: some StringProtocol) -> Bool {
        hasValidFormat(utf8: token.utf8)
    }

    /// Returns whether the UTF-8 bytes `token` have the token format, reading them in place.
    static func hasValidFormat(utf8 token: some Collection<UInt8>) -> Bool {
        guard token.count == length, token.starts(with: prefix.utf8) else {
            return false
        }
        return token.dropFirst(prefix.utf8.count).allSatisfy(isBase64URLCharacter)
    }

    /// Returns the SHA-256 digest of the token's UTF-8 bytes.
    static func digest(of token: some StringProtocol) throws(AuthError) -> [UInt8] {
        try OpenSSL.sha256(token.utf8)
    }

    static func base64URLEncoded(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func isBase64URLCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
