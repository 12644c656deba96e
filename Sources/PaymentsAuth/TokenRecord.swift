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
