internal import CCrypto

/// Random bytes, SHA-256 and constant-time comparison from OpenSSL's libcrypto.
enum OpenSSL {
    /// Returns `count` bytes from OpenSSL's CSPRNG (`RAND_bytes`).
    static func randomBytes(count: Int) throws(AuthError) -> [UInt8] {
        precondition(count > 0 && count <= Int(Int32.max), "random byte count out of range")
        var bytes = [UInt8](repeating: 0, count: count)
        let status = bytes.withUnsafeMutableBufferPointer { buffer in
            RAND_bytes(buffer.baseAddress, Int32(buffer.count))
        }
        guard status == 1 else {
            throw AuthError(
                code: .cryptoFailure,
                message: "RAND_bytes failed. Check the system's entropy source")
        }
        return bytes
    }

    /// Returns the 32-byte SHA-256 digest of `bytes`, computed with `EVP_Digest`.
    static func sha256(_ bytes: some Collection<UInt8>) throws(AuthError) -> [UInt8] {
        let status =
            bytes.withContiguousStorageIfAvailable { input in digestSHA256(UnsafeRawBufferPointer(input)) }
            ?? Array(bytes).withUnsafeBytes { input in digestSHA256(input) }
        guard let digest = status else {
            throw AuthError(
                code: .cryptoFailure,
                message: "EVP_Digest with SHA-256 failed. Check the OpenSSL install")
        }
        return digest
    }

    private static func digestSHA256(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        var length: UInt32 = 0
        var succeeded = false
        let digest = [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { buffer, count in
            succeeded =
                EVP_Digest(input.baseAddress, input.count, buffer.baseAddress, &length, sha256Algorithm.pointer, nil)
                == 1
            count = succeeded ? Int(length) : 0
        }
        return succeeded && length == 32 ? digest : nil
    }

    /// SHA-256 fetched from the default provider once, as OpenSSL's guide recommends ("Explicit fetching" in
    /// crypto(7)). With `EVP_sha256()` every digest looks the algorithm up again, which took longer than
    /// hashing a token.
    private static let sha256Algorithm = FetchedAlgorithm(EVP_MD_fetch(nil, "SHA2-256", nil) ?? EVP_sha256())

    /// Compares two byte arrays of equal length with `CRYPTO_memcmp`, whose time does not depend on
    /// where they differ. Arrays of different lengths compare unequal, because lengths are not secret.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}

/// An OpenSSL message digest shared by every thread. It is only read after the fetch, and OpenSSL's own
/// algorithm cache shares fetched algorithms between threads too.
private struct FetchedAlgorithm: @unchecked Sendable {
    let pointer: OpaquePointer?

    init(_ pointer: OpaquePointer?) {
        self.pointer = pointer
    }
}
