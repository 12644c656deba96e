import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The development token that `make run` creates on first start and the CLI reads by default.
///
/// `ensure(directory:)` keeps two files in the directory, both mode 0600: `tokens.json`, the token
/// file the server reads, and `dev-token`, the plaintext token for the CLI. The token is named
/// `development` and has all four scopes. For production, create tokens with `TokenFile` and
/// start the server with an explicit token file instead.
public enum DevelopmentToken {
    /// Directory used when none is given, relative to the working directory.
    public static let defaultDirectory = "var"
    /// Name of the development token in the token file.
    public static let tokenName = "development"
    /// File name of the token file in the directory.
    public static let tokenFileName = "tokens.json"
    /// File name of the plaintext token in the directory.
    public static let secretFileName = "dev-token"

    /// Paths of the development files, and whether this call created the token.
    public struct Files: Sendable, Hashable {
        /// The token file, to pass to `TokenAuthenticator`.
        public var tokenFilePath: String
        /// The file that contains the plaintext token. Log this path, never the file's contents.
        public var secretFilePath: String
        /// True when `ensure` generated a new token during this call.
        public var created: Bool
    }

    /// Creates the development token unless the directory already has a working one, and returns
    /// the paths.
    ///
    /// Creates `directory` with mode 0700 when it is missing, but not its parents. A reused
    /// `dev-token` gets mode 0600 again if someone widened it. A `dev-token` whose token still
    /// matches the `development` entry of `tokens.json` is reused. Otherwise, for example on the
    /// first start or after `payments token revoke development`, a new token replaces the entry
    /// and the file, so a development server always starts with a token the CLI can use. Other
    /// entries of `tokens.json` are kept. A corrupt or group-writable `tokens.json` is never
    /// overwritten, and its error is thrown instead.
    public static func ensure(directory: String = defaultDirectory) throws(AuthError) -> Files {
        try createDirectory(directory)
        let tokenFile = TokenFile(path: (directory as NSString).appendingPathComponent(tokenFileName))
        let secretPath = (directory as NSString).appendingPathComponent(secretFileName)

        // The lock covers both files, so that two servers starting at once agree on one token.
        return try tokenFile.withLock { () throws(AuthError) -> Files in
            if try isUsable(secretPath: secretPath, tokenFile: tokenFile) {
                return Files(tokenFilePath: tokenFile.path, secretFilePath: secretPath, created: false)
            }

            let token = try tokenFile.createWhileLocked(
                name: tokenName, scopes: Set(Scope.allCases), replacingExisting: true)
            try SecureFile.replace(path: secretPath, with: Array((token + "\n").utf8))
            return Files(tokenFilePath: tokenFile.path, secretFilePath: secretPath, created: true)
        }
    }

    /// Reads the development token from `directory`, for the CLI's default `authorization` header.
    ///
    /// Throws `AuthError` with code `tokenFileNotFound` when the file is missing, with a message
    /// that names the fix: run `make run` or pass a token. Other failures throw `tokenFileCorrupt` or
    /// `fileSystemFailure`.
    public static func readToken(directory: String = defaultDirectory) throws(AuthError) -> String {
        let secretPath = (directory as NSString).appendingPathComponent(secretFileName)
        guard let bytes = try SecureFile.read(path: secretPath)?.bytes else {
            throw AuthError(
                code: .tokenFileNotFound,
                message: "development token file '\(secretPath)' not found. Start the server once with `make run` "
                    + "or pass a token explicitly")
        }
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard BearerToken.hasValidFormat(token) else {
            throw AuthError(
                code: .tokenFileCorrupt,
                message: "development token file '\(secretPath)' does not contain a token. Delete it and restart "
                    + "the server with `make run`")
        }
        return token
    }

    private static func isUsable(secretPath: String, tokenFile: TokenFile) throws(AuthError) -> Bool {
        guard let records = try tokenFile.loadIfPresent(),
            let record = records.first(where: { $0.name == tokenName }),
            let stored = record.digestBytes,
            let secret = try SecureFile.read(path: secretPath)
        else {
            return false
        }
        if secret.permissions != SecureFile.mode {
            guard chmod(secretPath, SecureFile.mode) == 0 else {
                throw AuthError.fileSystem("chmod", path: secretPath, errno: errno)
            }
        }
        let bytes = secret.bytes
        let token = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard BearerToken.hasValidFormat(token) else {
            return false
        }
        return OpenSSL.constantTimeEqual(try BearerToken.digest(of: token), stored)
    }

    private static func createDirectory(_ directory: String) throws(AuthError) {
        guard mkdir(directory, 0o700) == 0 else {
            let code = errno
            var status = stat()
            guard code == EEXIST, stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
                throw AuthError.fileSystem("mkdir", path: directory, errno: code)
            }
            return
        }
    }
}
