import Foundation

/// A permission that a token grants.
///
/// Refunds need `paymentsRefund`. `paymentsWrite` alone does not imply it, and no scope implies
/// another.
public enum Scope: String, Sendable, Hashable, CaseIterable, Codable, Comparable, CustomStringConvertible {
    /// Read payments and list an order's payments.
    case paymentsRead = "payments:read"
    /// Register, confirm and fail payments.
    case paymentsWrite = "payments:write"
    /// Refund payments.
    case paymentsRefund = "payments:refund"
    /// Read and follow the event stream.
    case eventsRead = "events:read"

    /// The scope names as written in token files and on the command line, comma-separated.
    public static var validNames: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }

    public var description: String { rawValue }

    public static func < (lhs: Scope, rhs: Scope) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// Parses a comma-separated list such as `payments:read,events:read`.
    ///
    /// Spaces around names are ignored and a name may repeat. Throws `AuthError` with code
    /// `invalidScope` for an empty list or an unknown name. The message names the unknown scope and
    /// lists the valid ones.
    public static func parseList(_ text: String) throws(AuthError) -> Set<Scope> {
        var scopes: Set<Scope> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw AuthError(
                    code: .invalidScope, message: "empty scope name in the list. Valid scopes are \(validNames)")
            }
            guard let scope = Scope(rawValue: name) else {
                throw AuthError(
                    code: .invalidScope, message: "unknown scope '\(name)'. Valid scopes are \(validNames)")
            }
            scopes.insert(scope)
        }
        return scopes
    }
}
