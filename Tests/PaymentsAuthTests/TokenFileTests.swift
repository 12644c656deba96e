import Foundation
import Testing

@testable import PaymentsAuth

@Suite("TokenFile")
struct TokenFileTests {
    @Test("create, list and revoke round trip")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))

        let checkout = try file.create(name: "checkout", scopes: [.paymentsRead, .paymentsWrite])
        let refunds = try file.create(name: "refunds", scopes: [.paymentsRefund])
        #expect(checkout != refunds)

        let listed = try file.list()
        #expect(listed.map(\.name) == ["checkout", "refunds"])
        #expect(listed[0].scopes == [.paymentsRead, .paymentsWrite])
        #expect(listed[0].scopeList == "payments:read,payments:write")
        #expect(listed[1].scopes == [.paymentsRefund])

        try file.revoke(name: "checkout")
        #expect(try file.list().map(\.name) == ["refunds"])
    }

    @Test("file stores digest, never the token")
    func storesDigestOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))

        let token = try file.create(name: "checkout", scopes: [.paymentsRead])
        let contents = try text(of: file.path)
        let digest = Hex.encode(try BearerToken.digest(of: token))

        #expect(!contents.contains(token))
        #expect(!contents.contains(String(token.dropFirst(BearerToken.prefix.count))))
        #expect(contents.contains(digest))
        #expect(contents.contains("\"version\" : 1"))
    }

    @Test("file has mode 0600")
    func modeIsOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))

        _ = try file.create(name: "first", scopes: [.paymentsRead])
        #expect(try permissions(of: file.path) == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        _ = try file.create(name: "second", scopes: [.paymentsRead])
        #expect(try permissions(of: file.path) == 0o600)
    }

    @Test("group or other writable file", arguments: [0o620, 0o602, 0o666])
    func writableByOthers(mode: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))
        _ = try file.create(name: "checkout", scopes: [.paymentsRead])
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)

        #expect {
            _ = try file.list()
        } throws: { error in
            let error = error as! AuthError
            return error.code == .insecureFilePermissions && error.message.contains("chmod 600")
        }
        #expect(throws: AuthError.self) {
            _ = try TokenAuthenticator(path: file.path)
        }
    }

    @Test("writes leave no temporary file")
    func noTemporaryFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))

        for index in 0..<5 {
            _ = try file.create(name: "token-\(index)", scopes: [.eventsRead])
        }
        try file.revoke(name: "token-2")
        #expect(try directory.contents() == ["tokens.json", "tokens.json.lock"])
    }

    @Test("failed write leaves file unchanged")
    func failedWriteKeepsFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))
        _ = try file.create(name: "first", scopes: [.paymentsRead])
        let before = try text(of: file.path)

        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: directory.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path) }
        guard access(directory.path, W_OK) != 0 else {
            // Running as root: permission bits do not stop writes, so there is nothing to test.
            return
        }
        #expect(throws: AuthError.self) {
            _ = try file.create(name: "second", scopes: [.paymentsRead])
        }
        #expect(try text(of: file.path) == before)
    }

    @Test("duplicate name is rejected")
    func duplicateName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))
        _ = try file.create(name: "checkout", scopes: [.paymentsRead])

        #expect {
            _ = try file.create(name: "checkout", scopes: [.paymentsWrite])
        } throws: { error in
            let error = error as! AuthError
            return error.code == .duplicateTokenName && error.message.contains("'checkout'")
        }
        #expect(try file.list().count == 1)
    }

    @Test("revoking absent name names it")
    func revokeAbsent() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))
        _ = try file.create(name: "checkout", scopes: [.paymentsRead])

        #expect {
            try file.revoke(name: "billing")
        } throws: { error in
            let error = error as! AuthError
            return error.code == .tokenNameNotFound && error.message.contains("'billing'")
        }
    }

    @Test("invalid token names", arguments: ["", "has space", "new\nline", String(repeating: "a", count: 65)])
    func invalidNames(name: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))

        #expect {
            _ = try file.create(name: name, scopes: [.paymentsRead])
        } throws: { error in
            (error as! AuthError).code == .invalidTokenName
        }
    }

    @Test("empty scope set is rejected")
    func emptyScopes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))

        #expect {
            _ = try file.create(name: "checkout", scopes: [])
        } throws: { error in
            (error as! AuthError).code == .invalidScope
        }
    }

    @Test("missing file names path and fix")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("absent.json")

        #expect {
            _ = try TokenFile(path: path).list()
        } throws: { error in
            let error = error as! AuthError
            return error.code == .tokenFileNotFound && error.message.contains(path)
                && error.message.contains("payments token create")
        }
    }

    @Test(
        "corrupt file names path",
        arguments: [
            "not json",
            #"{"version": 2, "tokens": []}"#,
            #"{"version": 1}"#,
            #"{"version": 1, "tokens": [{"name": "a", "scopes": ["payments:admin"], "sha256": "\#(String(repeating: "0", count: 64))", "created": "2026-12-04T20:00:00Z"}]}"#,
            #"{"version": 1, "tokens": [{"name": "a", "scopes": ["payments:read"], "sha256": "secretish", "created": "2026-12-04T20:00:00Z"}]}"#,
            #"{"version": 1, "tokens": [{"name": "a", "scopes": [], "sha256": "\#(String(repeating: "0", count: 64))", "created": "2026-12-04T20:00:00Z"}]}"#,
            #"{"version": 1, "tokens": [{"name": "a", "scopes": ["events:read"], "sha256": "\#(String(repeating: "0", count: 64))", "created": "2026-12-04T20:00:00Z"}, {"name": "a", "scopes": ["events:read"], "sha256": "\#(String(repeating: "1", count: 64))", "created": "2026-12-04T20:00:00Z"}]}"#,
        ])
    func corruptFile(contents: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("tokens.json")
        try contents.write(toFile: path, atomically: false, encoding: .utf8)

        #expect {
            _ = try TokenFile(path: path).list()
        } throws: { error in
            let error = error as! AuthError
            return error.code == .tokenFileCorrupt && error.message.contains(path)
                && !error.message.contains("secretish") && !error.message.contains(String(repeating: "0", count: 64))
        }
    }

    @Test("concurrent creates keep every token")
    func concurrentCreates() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = TokenFile(path: directory.file("tokens.json"))

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    _ = try file.create(name: "token-\(index)", scopes: [.paymentsRead])
                }
            }
            try await group.waitForAll()
        }
        #expect(try file.list().count == 8)
    }
}

@Suite("SecureFile")
struct SecureFileTests {
    @Test("failed rename removes temporary file")
    func failedRenameCleansUp() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("tokens.json")
        try FileManager.default.createDirectory(atPath: path + "/occupied", withIntermediateDirectories: true)

        #expect {
            try SecureFile.replace(path: path, with: Array("{}".utf8))
        } throws: { error in
            let error = error as! AuthError
            return error.code == .fileSystemFailure && error.message.contains(path)
        }
        #expect(try directory.contents() == ["tokens.json"])
    }

    @Test("replace writes contents with mode 0600")
    func replaceWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("secret")

        try SecureFile.replace(path: path, with: Array("first".utf8))
        try SecureFile.replace(path: path, with: Array("second".utf8))
        #expect(try text(of: path) == "second")
        #expect(try permissions(of: path) == 0o600)
        #expect(try directory.contents() == ["secret"])
    }
}
