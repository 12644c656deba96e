import Testing

@testable import PaymentsAuth

@Suite("BearerToken")
struct BearerTokenTests {
    @Test("generated token has prefix and length")
    func prefixAndLength() throws {
        let token = try BearerToken.generate()
        #expect(token.hasPrefix("ptk_"))
        #expect(token.count == 47)
        #expect(BearerToken.hasValidFormat(token))
    }

    @Test("generated tokens use URL-safe characters")
    func urlSafeCharacters() throws {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for _ in 0..<200 {
            let token = try BearerToken.generate()
            let body = token.dropFirst(BearerToken.prefix.count)
            #expect(body.allSatisfy { allowed.contains($0) }, "token body has a character outside base64url")
        }
    }

    @Test("generated tokens are unique")
    func unique() throws {
        var seen: Set<String> = []
        for _ in 0..<1000 {
            seen.insert(try BearerToken.generate())
        }
        #expect(seen.count == 1000)
    }

    @Test("base64url matches RFC 4648 vectors")
    func base64URLVectors() {
        #expect(BearerToken.base64URLEncoded(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(BearerToken.base64URLEncoded(Array("fo".utf8)) == "Zm8")
        #expect(BearerToken.base64URLEncoded([0xFB, 0xFF]) == "-_8")
    }

    @Test("SHA-256 matches the known digest")
    func sha256Vector() throws {
        let digest = try OpenSSL.sha256(Array("abc".utf8))
        #expect(Hex.encode(digest) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let empty = try OpenSSL.sha256([UInt8]())
        #expect(Hex.encode(empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("constant-time comparison")
    func constantTimeEqual() {
        #expect(OpenSSL.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!OpenSSL.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!OpenSSL.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    @Test(
        "rejects strings without token format",
        arguments: [
            "", "ptk_", "ptk_short", "xyz_" + String(repeating: "A", count: 43),
            "ptk_" + String(repeating: "A", count: 42), "ptk_" + String(repeating: "A", count: 44),
            "ptk_" + String(repeating: "A", count: 42) + "+", "ptk_" + String(repeating: "A", count: 42) + "=",
            "PTK_" + String(repeating: "A", count: 43),
        ])
    func rejectsBadFormat(candidate: String) {
        #expect(!BearerToken.hasValidFormat(candidate))
    }

    @Test("hex round trip and bad hex")
    func hexRoundTrip() {
        let bytes: [UInt8] = [0x00, 0x0F, 0xA0, 0xFF]
        #expect(Hex.decode(Hex.encode(bytes), byteCount: 4) == bytes)
        #expect(Hex.decode("zz00ff00", byteCount: 4) == nil)
        #expect(Hex.decode("00ff", byteCount: 4) == nil)
    }
}
