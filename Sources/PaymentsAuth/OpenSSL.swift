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

    /// Returns the 32-byte SHA-256 digest of `bytes`, computed with `EVP_Digest` and `EVP_sha256()`.
    static func sha256(_ bytes: some Collection<UInt8>) throws(AuthError) -> [UInt8] {
        let input = Array(bytes)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0

        let status = input.withUnsafeBytes { inputBuffer in
            digest.withUnsafeMutableBufferPointer { digestBuffer in
                EVP_Digest(
                    inputBuffer.baseAddress, inputBuffer.count, digestBuffer.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        guard status == 1, length == 32 else {
            throw AuthError(
                code: .cryptoFailure,
                message: "EVP_Digest with SHA-256 failed. Check the OpenSSL install")
        }
        return Array(digest.prefix(Int(length)))
    }

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
