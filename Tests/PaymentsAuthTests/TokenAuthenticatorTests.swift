import Foundation
import Testing

@testable import PaymentsAuth

@Suite("TokenAuthenticator")
struct TokenAuthenticatorTests {
    /// A token file with one token per role, and an authenticator that loaded it.
    struct Fixture {
        let directory: TemporaryDirectory
        let file: TokenFile
        let writer: String
        let refunder: String
        let authenticator: TokenAuthenticator

        init() throws {
            directory = try TemporaryDirectory()
            file = TokenFile(path: directory.file("tokens.json"))
            writer = try file.create(name: "checkout", scopes: [.paymentsRead, .paymentsWrite])
            refunder = try file.create(name: "support", scopes: [.paymentsRead, .paymentsRefund])
            authenticator = try TokenAuthenticator(path: file.path)
        }
    }

    static func reason(_ result: Result<Principal, AuthError>) -> AuthError.UnauthenticatedReason? {
        guard case .failure(let error) = result, error.code == .unauthenticated else {
            return nil
        }
        return error.unauthenticatedReason
    }

    @Test("valid token yields its principal")
    func validToken() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        let principal = try fixture.authenticator.authenticate(authorizationHeader: "Bearer \(fixture.writer)").get()
        #expect(principal.tokenName == "checkout")
        #expect(principal.scopes == [.paymentsRead, .paymentsWrite])
        #expect(fixture.authenticator.tokenCount == 2)
    }

    @Test(
        "accepted header spellings",
        arguments: ["Bearer %@", "bearer %@", "BEARER %@", "Bearer   %@", "  Bearer %@ ", "\tBearer %@\t"])
    func acceptedSpellings(format: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        let header = format.replacingOccurrences(of: "%@", with: fixture.refunder)
        let principal = try fixture.authenticator.authenticate(authorizationHeader: header).get()
        #expect(principal.tokenName == "support")
    }

    @Test("missing header")
    func missingHeader() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        #expect(Self.reason(fixture.authenticator.authenticate(authorizationHeader: nil)) == .missingHeader)
        #expect(Self.reason(fixture.authenticator.authenticate(authorizationHeader: "")) == .missingHeader)
        #expect(Self.reason(fixture.authenticator.authenticate(authorizationHeader: "   ")) == .missingHeader)
    }

    @Test(
        "malformed headers",
        arguments: [
            "Bearer", "Bearer ", "Bearer  ", "Basic %@", "Basic dXNlcjpwYXNz", "Bearer%@", "Bearer\t%@",
            "Bearer %@ extra", "Bearer %@%@", "Token %@", "Bearer not-a-token", "%@",
            "Bearer " + String(repeating: "A", count: 2000), "Bearér %@", "Bearer\u{00A0}%@", "BEARE\u{12} %@",
            "Bear %@", "Bearers %@",
        ])
    func malformedHeaders(format: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        let header = format.replacingOccurrences(of: "%@", with: fixture.writer)
        let result = fixture.authenticator.authenticate(authorizationHeader: header)
        #expect(Self.reason(result) == .malformedHeader)
    }

    @Test("unknown token")
    func unknownToken() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        let stranger = try BearerToken.generate()
        let result = fixture.authenticator.authenticate(authorizationHeader: "Bearer \(stranger)")
        #expect(Self.reason(result) == .unknownToken)
    }

    @Test("errors never echo the token or header")
    func errorsDoNotEchoSecrets() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        let stranger = try BearerToken.generate()
        let headers = ["Bearer \(stranger)", "Basic \(fixture.writer)", "Bearer \(fixture.writer) x"]
        for header in headers {
            guard case .failure(let error) = fixture.authenticator.authenticate(authorizationHeader: header) else {
                Issue.record("header was accepted")
                continue
            }
            let rendered = "\(error) \(error.message) \(String(reflecting: error))"
            #expect(!rendered.contains(stranger))
            #expect(!rendered.contains(fixture.writer))
            #expect(!rendered.contains(Hex.encode(try BearerToken.digest(of: fixture.writer))))
        }
    }

    @Test("correct call succeeds after a bad one")
    func recoversAfterFailure() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        _ = fixture.authenticator.authenticate(authorizationHeader: "Bearer nope")
        let principal = try fixture.authenticator.authenticate(authorizationHeader: "Bearer \(fixture.writer)").get()
        #expect(principal.tokenName == "checkout")
    }

    @Test("write token cannot refund")
    func writeCannotRefund() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        let result = fixture.authenticator.authenticate(
            authorizationHeader: "Bearer \(fixture.writer)", requiring: .paymentsRefund)
        guard case .failure(let error) = result else {
            Issue.record("write token was allowed to refund")
            return
        }
        #expect(error.code == .permissionDenied)
        #expect(error.missingScope == .paymentsRefund)
        #expect(error.message.contains("payments:refund"))

        let refund = fixture.authenticator.authenticate(
            authorizationHeader: "Bearer \(fixture.refunder)", requiring: .paymentsRefund)
        #expect(try refund.get().tokenName == "support")
    }

    @Test("authorize checks each scope", arguments: Scope.allCases)
    func authorizeEachScope(scope: Scope) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        let principal = Principal(tokenName: "only", scopes: [scope])
        for other in Scope.allCases {
            let result = fixture.authenticator.authorize(principal, scope: other)
            if other == scope {
                #expect(throws: Never.self) { try result.get() }
            } else {
                #expect(throws: AuthError.self) { try result.get() }
            }
        }
    }

    @Test("reload picks up a revoke")
    func reloadPicksUpRevoke() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let header = "Bearer \(fixture.writer)"
        #expect(throws: Never.self) { try fixture.authenticator.authenticate(authorizationHeader: header).get() }

        try fixture.file.revoke(name: "checkout")
        #expect(throws: Never.self) { try fixture.authenticator.authenticate(authorizationHeader: header).get() }
        #expect(try fixture.authenticator.reload() == 1)

        #expect(Self.reason(fixture.authenticator.authenticate(authorizationHeader: header)) == .unknownToken)
    }

    @Test("reload picks up a new token")
    func reloadPicksUpCreate() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        let added = try fixture.file.create(name: "watcher", scopes: [.eventsRead])
        try fixture.authenticator.reload()
        let principal = try fixture.authenticator.authenticate(authorizationHeader: "Bearer \(added)").get()
        #expect(principal.scopes == [.eventsRead])
    }

    @Test("corrupt reload keeps previous tokens")
    func corruptReloadKeepsTokens() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        try "{ broken".write(toFile: fixture.file.path, atomically: false, encoding: .utf8)
        #expect {
            try fixture.authenticator.reload()
        } throws: { error in
            (error as! AuthError).code == .tokenFileCorrupt
        }
        let principal = try fixture.authenticator.authenticate(authorizationHeader: "Bearer \(fixture.writer)").get()
        #expect(principal.tokenName == "checkout")
        #expect(fixture.authenticator.tokenCount == 2)
    }

    @Test("deleted file on reload keeps previous tokens")
    func missingReloadKeepsTokens() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }

        try FileManager.default.removeItem(atPath: fixture.file.path)
        #expect {
            try fixture.authenticator.reload()
        } throws: { error in
            (error as! AuthError).code == .tokenFileNotFound
        }
        #expect(fixture.authenticator.tokenCount == 2)
    }

    @Test("missing file at start")
    func missingFileAtStart() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }

        #expect {
            _ = try TokenAuthenticator(path: directory.file("tokens.json"))
        } throws: { error in
            (error as! AuthError).code == .tokenFileNotFound
        }
    }
}
