import Foundation

/// The token file: names, scopes and SHA-256 digests of the tokens a server accepts.
///
/// The file is pretty-printed JSON with sorted keys, so that it is easy to read and diff:
///
/// ```json
/// {
///   "tokens" : [
///     {
///       "created" : "2026-12-04T20:14:55Z",
///       "name" : "checkout",
///       "scopes" : [
///         "payments:read",
///         "payments:write"
///       ],
///       "sha256" : "0cf7cba9f0c314ea83bee832f0730378c5ce9106efc15cd3d0d035ef163720fb"
///     }
///   ],
///   "version" : 1
/// }
/// ```
///
/// It never contains a token. Every write replaces the file atomically with mode 0600, and
/// `create` and `revoke` hold an exclusive lock on `<path>.lock`, so that two administrators
/// running the CLI at once do not lose each other's change. A server reads the file with
/// `TokenAuthenticator` and picks up changes when it calls `reload()`.
///
/// The methods do blocking file I/O on the calling thread.
public struct TokenFile: Sendable {
    /// Format version written to and expected in the file.
    public static let formatVersion = 1

    /// Path of the JSON file.
    public let path: String

    /// Refers to the token file at `path`. Nothing is read until a method is called.
    public init(path: String) {
        self.path = path
    }

    /// Creates a token, stores its digest under `name` and returns the token.
    ///
    /// The returned token exists nowhere else: the caller shows it once and discards it. Creates
    /// the file when it does not exist, but not its directory. Throws `AuthError` with code
    /// `invalidTokenName`, `duplicateTokenName`, `invalidScope` (for an empty scope set),
    /// `tokenFileCorrupt`, `insecureFilePermissions`, `fileSystemFailure` or `cryptoFailure`.
    public func create(name: String, scopes: Set<Scope>) throws(AuthError) -> String {
        try withLock { () throws(AuthError) -> String in
            try createWhileLocked(name: name, scopes: scopes, replacingExisting: false)
        }
    }

    /// Returns the tokens in the file in creation order, without digests.
    ///
    /// Throws `AuthError` with code `tokenFileNotFound`, `tokenFileCorrupt`, `insecureFilePermissions`
    /// or `fileSystemFailure`.
    public func list() throws(AuthError) -> [TokenSummary] {
        try load().map(\.summary)
    }

    /// Removes the token named `name`. A server stops accepting it at its next `reload()`.
    ///
    /// Throws `AuthError` with code `tokenNameNotFound` (the message names `name`),
    /// `tokenFileNotFound`, `tokenFileCorrupt`, `insecureFilePermissions` or `fileSystemFailure`.
    public func revoke(name: String) throws(AuthError) {
        try withLock { () throws(AuthError) in
            var records = try load()
            guard let index = records.firstIndex(where: { $0.name == name }) else {
                try TokenName.validate(name)
                throw AuthError(
                    code: .tokenNameNotFound,
                    message: "no token named '\(name)' in '\(path)'. Run `payments token list` to see the names")
            }
            records.remove(at: index)
            try store(records)
        }
    }

    /// Runs `body` while holding the exclusive lock on `<path>.lock`. The lock is not reentrant:
    /// `body` must call only the `WhileLocked` methods, never `create` or `revoke`.
    func withLock<T>(_ body: () throws(AuthError) -> T) throws(AuthError) -> T {
        try SecureFile.withExclusiveLock(path: path, body)
    }

    /// Creates a token like `create(name:scopes:)`, replacing an entry of the same name when
    /// `replacingExisting` is true. The caller holds the lock.
    func createWhileLocked(name: String, scopes: Set<Scope>, replacingExisting: Bool) throws(AuthError) -> String {
        try TokenName.validate(name)
        guard !scopes.isEmpty else {
            throw AuthError(
                code: .invalidScope, message: "a token needs at least one scope. Valid scopes are \(Scope.validNames)")
        }

        var records = try loadIfPresent() ?? []
        if let index = records.firstIndex(where: { $0.name == name }) {
            guard replacingExisting else {
                throw AuthError(
                    code: .duplicateTokenName,
                    message: "a token named '\(name)' already exists in '\(path)'. Revoke it first or pick another name"
                )
            }
            records.remove(at: index)
        }

        let token = try BearerToken.generate()
        let digest = try BearerToken.digest(of: token)
        let created = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        records.append(TokenRecord(name: name, scopes: scopes.sorted(), sha256: Hex.encode(digest), created: created))
        try store(records)
        return token
    }

    /// Returns the records, throwing `tokenFileNotFound` when the file does not exist.
    func load() throws(AuthError) -> [TokenRecord] {
        guard let records = try loadIfPresent() else {
            throw AuthError(
                code: .tokenFileNotFound,
                message: "token file '\(path)' not found. Create it with `payments token create --tokens \(path) "
                    + "--name NAME --scopes SCOPES` or fix the path")
        }
        return records
    }

    /// Returns the records, or nil when the file does not exist.
    func loadIfPresent() throws(AuthError) -> [TokenRecord]? {
        guard let contents = try SecureFile.read(path: path) else {
            return nil
        }

        // Anyone who can write the file can add a token, so a loose mode is an error, not a warning.
        guard contents.permissions & 0o022 == 0 else {
            let mode = String(contents.permissions, radix: 8)
            throw AuthError(
                code: .insecureFilePermissions,
                message: "token file '\(path)' has mode \(mode), which lets group or others write it. "
                    + "Run `chmod 600 \(path)` and check who changed it")
        }
        return try decode(contents.bytes)
    }

    private func store(_ records: [TokenRecord]) throws(AuthError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601

        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(Contents(version: Self.formatVersion, tokens: records))) + [0x0A]
        } catch {
            preconditionFailure("encoding token records cannot fail: \(error)")
        }
        try SecureFile.replace(path: path, with: bytes)
    }
}
