import Synchronization

/// Checks `authorization` headers against the digests in a token file.
///
/// The server creates one at start, shares it between all connections and calls `reload()` on
/// SIGHUP. All methods are thread-safe. `authenticate` and `authorize` do no I/O, while `init`
/// and `reload()` read the file on the calling thread.
///
/// Header syntax follows RFC 6750 and RFC 9110: the scheme `Bearer` in any letter case, one or
/// more spaces, then the token. Spaces or tabs around the whole value are ignored. Anything else,
/// such as `Basic …`, a missing token, a second word after the token or a string without the
/// `ptk_` token format, is rejected as malformed without hashing.
public final class TokenAuthenticator: Sendable {
    /// Maximum length in bytes of a header value. Longer values are rejected as malformed without parsing.
    public static let maxHeaderLength = 1024

    private struct Entry: Sendable {
        var digest: [UInt8]
        var principal: Principal
    }

    /// Path of the token file this authenticator reads.
    public let path: String
    // The loaded entries, replaced whole by `reload()` while connections read them.
    private let entries: Mutex<[Entry]>

    /// Loads the token file at `path`.
    ///
    /// Throws `AuthError` with code `tokenFileNotFound`, `tokenFileCorrupt`,
    /// `insecureFilePermissions` or `fileSystemFailure`. The message names the path and the fix.
    public init(path: String) throws(AuthError) {
        self.path = path
        self.entries = Mutex(try Self.loadEntries(path: path))
    }

    /// The number of tokens currently accepted.
    public var tokenCount: Int {
        entries.withLock { $0.count }
    }

    /// Reads the token file again and replaces the accepted tokens, and returns their number.
    ///
    /// When reading or decoding fails, the previous tokens stay in force and the error is thrown
    /// for the server to log. Calls already authenticated are not affected by a revoke.
    @discardableResult
    public func reload() throws(AuthError) -> Int {
        let loaded = try Self.loadEntries(path: path)
        entries.withLock { $0 = loaded }
        return loaded.count
    }

    /// Authenticates the value of an `authorization` header.
    ///
    /// Returns the principal of the matching token, or an `AuthError` with code `unauthenticated`
    /// whose `unauthenticatedReason` is `missingHeader`, `malformedHeader` or `unknownToken`. The
    /// error never contains the header or the token. The digest of the token is compared with
    /// every stored digest using `CRYPTO_memcmp`, with no early exit on a match.
    public func authenticate(authorizationHeader: String?) -> Result<Principal, AuthError> {
        guard var header = authorizationHeader else {
            return .failure(.unauthenticated(.missingHeader))
        }
        // Parsing and hashing read the header's UTF-8 bytes in place, because this runs on every call.
        let hashed = header.withUTF8 { bytes -> Result<[UInt8], AuthError> in
            Self.tokenRange(in: bytes).flatMap { range in
                Result { () throws(AuthError) in try OpenSSL.sha256(bytes[range]) }
            }
        }
        let digest: [UInt8]
        switch hashed {
        case .success(let hashedToken):
            digest = hashedToken
        case .failure(let error):
            return .failure(error)
        }

        // The lock is held only to copy the array, a reference-count increment, so `reload()` does not
        // wait for the comparisons.
        let snapshot = entries.withLock { $0 }
        var match: Principal?
        for entry in snapshot where OpenSSL.constantTimeEqual(entry.digest, digest) {
            match = entry.principal
        }
        guard let match else {
            return .failure(.unauthenticated(.unknownToken))
        }
        return .success(match)
    }

    /// Returns success when `principal` has `scope`, or an `AuthError` with code
    /// `permissionDenied` whose message and `missingScope` name the scope.
    public func authorize(_ principal: Principal, scope: Scope) -> Result<Void, AuthError> {
        guard principal.has(scope) else {
            return .failure(.permissionDenied(scope, tokenName: principal.tokenName))
        }
        return .success(())
    }

    /// Authenticates the header and then checks `scope`, returning the first failure.
    public func authenticate(authorizationHeader: String?, requiring scope: Scope) -> Result<Principal, AuthError> {
        authenticate(authorizationHeader: authorizationHeader).flatMap { principal in
            authorize(principal, scope: scope).map { principal }
        }
    }

    /// Returns the offsets of the token in the UTF-8 bytes of an `authorization` header value, with the syntax
    /// in the type's documentation.
    static func tokenRange(in bytes: UnsafeBufferPointer<UInt8>) -> Result<Range<Int>, AuthError> {
        guard bytes.count <= maxHeaderLength else {
            return .failure(.unauthenticated(.malformedHeader))
        }
        var start = 0
        var end = bytes.count
        while start < end && isBlank(bytes[start]) {
            start += 1
        }
        while end > start && isBlank(bytes[end - 1]) {
            end -= 1
        }
        guard start < end else {
            return .failure(.unauthenticated(.missingHeader))
        }

        let space = UInt8(ascii: " ")
        let schemeEnd = bytes[start..<end].firstIndex(of: space) ?? end
        var tokenStart = schemeEnd
        while tokenStart < end && bytes[tokenStart] == space {
            tokenStart += 1
        }
        guard isBearerScheme(bytes[start..<schemeEnd]), tokenStart > schemeEnd,
            BearerToken.hasValidFormat(utf8: bytes[tokenStart..<end])
        else {
            return .failure(.unauthenticated(.malformedHeader))
        }
        return .success(tokenStart..<end)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// Returns whether `scheme` is `Bearer` in any letter case. ORing 0x20 lowercases an ASCII letter and
    /// maps no other byte onto one.
    private static func isBearerScheme(_ scheme: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        scheme.elementsEqual("bearer".utf8) { $0 | 0x20 == $1 }
    }

    private static func loadEntries(path: String) throws(AuthError) -> [Entry] {
        try TokenFile(path: path).load().map { record in
            // `TokenFile.decode` has already rejected digests that are not 64 hex digits.
            Entry(
                digest: record.digestBytes!,
                principal: Principal(tokenName: record.name, scopes: Set(record.scopes)))
        }
    }
}
