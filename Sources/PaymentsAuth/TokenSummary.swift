import Foundation

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
