/// The caller a valid token identifies: the token's name and the scopes it grants.
public struct Principal: Sendable, Hashable {
    /// Name of the token in the token file, safe to log.
    public var tokenName: String
    /// Scopes the token grants.
    public var scopes: Set<Scope>

    public init(tokenName: String, scopes: Set<Scope>) {
        self.tokenName = tokenName
        self.scopes = scopes
    }

    /// Returns whether the token grants `scope`. No scope implies another.
    public func has(_ scope: Scope) -> Bool {
        scopes.contains(scope)
    }
}
