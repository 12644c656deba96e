import Foundation
import Testing

@testable import PaymentsAuth

@Suite("DevelopmentToken")
struct DevelopmentTokenTests {
    @Test("first start creates files with mode 0600")
    func firstStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let varDirectory = directory.file("var")

        let files = try DevelopmentToken.ensure(directory: varDirectory)
        #expect(files.created)
        #expect(files.tokenFilePath == varDirectory + "/tokens.json")
        #expect(files.secretFilePath == varDirectory + "/dev-token")
        #expect(try permissions(of: files.tokenFilePath) == 0o600)
        #expect(try permissions(of: files.secretFilePath) == 0o600)
        #expect(try permissions(of: varDirectory) == 0o700)

        let token = try DevelopmentToken.readToken(directory: varDirectory)
        #expect(!(try text(of: files.tokenFilePath)).contains(token))

        let authenticator = try TokenAuthenticator(path: files.tokenFilePath)
        let principal = try authenticator.authenticate(authorizationHeader: "Bearer \(token)").get()
        #expect(principal.tokenName == "development")
        #expect(principal.scopes == Set(Scope.allCases))
    }

    @Test("later start reuses the token")
    func laterStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        _ = try DevelopmentToken.ensure(directory: directory.path)
        let token = try DevelopmentToken.readToken(directory: directory.path)
        let again = try DevelopmentToken.ensure(directory: directory.path)

        #expect(!again.created)
        #expect(try DevelopmentToken.readToken(directory: directory.path) == token)
    }

    @Test("widened token file mode is restored")
    func widenedModeRestored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let files = try DevelopmentToken.ensure(directory: directory.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: files.secretFilePath)
        let again = try DevelopmentToken.ensure(directory: directory.path)

        #expect(!again.created)
        #expect(try permissions(of: files.secretFilePath) == 0o600)
    }

    @Test("revoked token is re-created, others kept")
    func revokedIsRecreated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        let files = try DevelopmentToken.ensure(directory: directory.path)
        let old = try DevelopmentToken.readToken(directory: directory.path)
        let file = TokenFile(path: files.tokenFilePath)
        _ = try file.create(name: "checkout", scopes: [.paymentsWrite])
        try file.revoke(name: "development")

        let again = try DevelopmentToken.ensure(directory: directory.path)
        let new = try DevelopmentToken.readToken(directory: directory.path)
        #expect(again.created)
        #expect(new != old)
        #expect(Set(try file.list().map(\.name)) == ["checkout", "development"])
    }

    @Test("concurrent starts agree on one token")
    func concurrentStarts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path

        let created = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { try DevelopmentToken.ensure(directory: path).created }
            }
            return try await group.reduce(0) { count, created in count + (created ? 1 : 0) }
        }
        #expect(created == 1)

        let token = try DevelopmentToken.readToken(directory: path)
        let authenticator = try TokenAuthenticator(path: directory.file("tokens.json"))
        #expect(throws: Never.self) { try authenticator.authenticate(authorizationHeader: "Bearer \(token)").get() }
    }

    @Test("corrupt token file is not overwritten")
    func corruptNotOverwritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("tokens.json")
        try "garbage".write(toFile: path, atomically: false, encoding: .utf8)

        #expect {
            _ = try DevelopmentToken.ensure(directory: directory.path)
        } throws: { error in
            (error as! AuthError).code == .tokenFileCorrupt
        }
        #expect(try text(of: path) == "garbage")
    }

    @Test("missing token file names the fix")
    func missingSecret() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        #expect {
            _ = try DevelopmentToken.readToken(directory: directory.path)
        } throws: { error in
            let error = error as! AuthError
            return error.code == .tokenFileNotFound && error.message.contains("make run")
        }
    }
}
