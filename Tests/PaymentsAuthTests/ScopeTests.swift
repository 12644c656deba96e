import Testing

@testable import PaymentsAuth

@Suite("Scope")
struct ScopeTests {
    @Test("parses comma-separated list")
    func parsesList() throws {
        let scopes = try Scope.parseList("payments:read, events:read,payments:read")
        #expect(scopes == [.paymentsRead, .eventsRead])
    }

    @Test("parses every scope name", arguments: Scope.allCases)
    func parsesEveryName(scope: Scope) throws {
        #expect(try Scope.parseList(scope.rawValue) == [scope])
    }

    @Test("unknown scope names itself and valid ones")
    func unknownScope() {
        #expect {
            try Scope.parseList("payments:read,payments:admin")
        } throws: { error in
            let error = error as! AuthError
            return error.code == .invalidScope && error.message.contains("'payments:admin'")
                && error.message.contains("payments:read, payments:write, payments:refund, events:read")
        }
    }

    @Test("empty scope names", arguments: ["", ",", "payments:read,", " , events:read"])
    func emptyNames(list: String) {
        #expect(throws: AuthError.self) {
            try Scope.parseList(list)
        }
    }

    @Test("write scope does not grant refund")
    func writeDoesNotGrantRefund() {
        let principal = Principal(tokenName: "checkout", scopes: [.paymentsWrite, .paymentsRead])
        #expect(!principal.has(.paymentsRefund))
        #expect(principal.has(.paymentsWrite))
    }
}
