import Foundation

/// The error of every operation in this module: a stable code, a message and the cause.
///
/// `description` and `message` are safe to log and to send to a caller: they never contain a
/// token, a token hash or an authorization header. The server maps `Code.unauthenticated` to the
/// RPC status UNAUTHENTICATED and `Code.permissionDenied` to PERMISSION_DENIED. The other codes
/// come from token administration and configuration.
public struct AuthError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure. Raw values are stable and may appear in logs and scripts.
    public enum Code: String, Sendable, CaseIterable {
        /// The authorization header is missing or malformed, or the token is unknown or revoked.
        case unauthenticated = "UNAUTHENTICATED"
        /// The token is valid but lacks the scope named in `missingScope`.
        case permissionDenied = "PERMISSION_DENIED"
        /// A scope name in a list is not one of the four scopes.
        case invalidScope = "INVALID_SCOPE"
        /// A token name is empty, too long or contains characters outside `A-Z a-z 0-9 . _ -`.
        case invalidTokenName = "INVALID_TOKEN_NAME"
        /// A token with that name already exists in the token file.
        case duplicateTokenName = "DUPLICATE_TOKEN_NAME"
        /// No token with that name exists in the token file.
        case tokenNameNotFound = "TOKEN_NAME_NOT_FOUND"
        /// The token file does not exist.
        case tokenFileNotFound = "TOKEN_FILE_NOT_FOUND"
        /// The token file is not valid JSON or breaks the file format.
        case tokenFileCorrupt = "TOKEN_FILE_CORRUPT"
        /// The token file is writable by its group or by others, so anyone could add a token.
        case insecureFilePermissions = "INSECURE_FILE_PERMISSIONS"
        /// Reading, writing, locking or renaming a file failed at the operating-system level.
        case fileSystemFailure = "FILE_SYSTEM_FAILURE"
        /// OpenSSL failed to produce random bytes or a digest.
        case cryptoFailure = "CRYPTO_FAILURE"
    }

    /// The cause of an `unauthenticated` error.
    public enum UnauthenticatedReason: String, Sendable {
        /// No authorization header, or an empty one.
        case missingHeader = "missing"
        /// The header is not `Bearer <token>` or the token does not have the token format.
        case malformedHeader = "malformed"
        /// The token has the right format but matches no token in the token file.
        case unknownToken = "unknown"
    }

    /// The stable code.
    public var code: Code
    /// A sentence naming the value that failed and the fix, safe to log and to return to a caller.
    public var message: String
    /// The scope the principal lacks, set when `code` is `.permissionDenied`.
    public var missingScope: Scope?
    /// The kind of authentication failure, set when `code` is `.unauthenticated`.
    public var unauthenticatedReason: UnauthenticatedReason?
    /// The underlying error, such as a `POSIXError` or a JSON decoding error.
    public var underlyingError: (any Error & Sendable)?

    /// Creates an error. Code in this module uses static factories, which write the standard messages.
    public init(
        code: Code, message: String, missingScope: Scope? = nil,
        unauthenticatedReason: UnauthenticatedReason? = nil, underlyingError: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.missingScope = missingScope
        self.unauthenticatedReason = unauthenticatedReason
        self.underlyingError = underlyingError
    }

    public var description: String {
        guard let underlyingError else {
            return "\(code.rawValue): \(message)"
        }
        return "\(code.rawValue): \(message) (cause: \(underlyingError))"
    }
}

extension AuthError {
    static func unauthenticated(_ reason: UnauthenticatedReason) -> AuthError {
        let message =
            switch reason {
            case .missingHeader:
                "missing authorization header. Send `authorization: Bearer <token>`"
            case .malformedHeader:
                "malformed authorization header. Expected `Bearer ` and a token of \(BearerToken.length) characters, "
                    + "`ptk_` and \(BearerToken.encodedLength) of A-Z a-z 0-9 - _, as `payments token create` prints"
            case .unknownToken:
                "unknown bearer token. It was revoked or never issued, so create one with `payments token create`"
            }
        return AuthError(code: .unauthenticated, message: message, unauthenticatedReason: reason)
    }

    static func permissionDenied(_ scope: Scope, tokenName: String) -> AuthError {
        AuthError(
            code: .permissionDenied,
            message: "token '\(tokenName)' lacks scope '\(scope.rawValue)'. Create a token with that scope",
            missingScope: scope)
    }

    static func fileSystem(_ operation: String, path: String, errno code: Int32) -> AuthError {
        let cause = POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        return AuthError(
            code: .fileSystemFailure,
            message: "\(operation) failed for '\(path)'. Check that the directory exists and is writable",
            underlyingError: cause)
    }
}
