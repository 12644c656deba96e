import Foundation
import Testing

@Suite("Domain errors through the CLI", .serialized)
struct DomainErrorTests {
    /// Runs the CLI and checks that it failed with `status` and printed `code` on standard error.
    private func expectFailure(
        _ deployment: TestDeployment, _ arguments: [String], code: String, status: Int32,
        environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let result = try await deployment.cli(arguments, environment: environment)
        #expect(result.status == status, "\(arguments): \(result.standardError)", sourceLocation: sourceLocation)
        #expect(
            result.standardError.contains(code), "\(arguments): \(result.standardError)", sourceLocation: sourceLocation
        )
    }

    private func register(_ deployment: TestDeployment, _ extra: [String]) async throws -> String {
        let object = try await deployment.cliJSON(["register"] + extra)
        let payment = object["payment"] as? [String: Any]
        return payment?["payment_id"] as? String ?? ""
    }

    @Test("every domain code is shown", arguments: StoreKind.available)
    func everyDomainCode(kind: StoreKind) async throws {
        let deployment = try await TestDeployment(kind: kind)
        let order = uniqueOrderID()
        let cash = ["--order", order, "--currency", "USD", "--method", "cash"]

        try await expectFailure(
            deployment, ["get", "--order", order, "--payment", "pay_aaaaaaaaaaaaaaaaaaaaaaaa"],
            code: "PAYMENT_NOT_FOUND",
            status: 3)
        try await expectFailure(deployment, ["register", "--amount", "0"] + cash, code: "INVALID_AMOUNT", status: 2)
        try await expectFailure(
            deployment, ["register", "--amount", "87.957975"] + cash, code: "INVALID_AMOUNT", status: 2)
        try await expectFailure(
            deployment, ["register", "--order", order, "--amount", "500.5", "--currency", "JPY", "--method", "cash"],
            code: "INVALID_AMOUNT", status: 2)
        try await expectFailure(
            deployment, ["register", "--order", order, "--amount", "1", "--currency", "XYZ", "--method", "cash"],
            code: "INVALID_CURRENCY", status: 2)
        try await expectFailure(
            deployment, ["register", "--order", order, "--amount", "1.00", "--currency", "USD", "--method", "card"],
            code: "--gateway-payment-id", status: 2)
        try await expectFailure(
            deployment, ["register", "--amount", "1.00", "--gateway", "stripe"] + cash, code: "INVALID_ARGUMENT",
            status: 3)

        // An order with a total of 100.00 paid by one confirmed payment.
        let first = try await register(deployment, ["--amount", "100.00", "--order-total", "100.00"] + cash)
        _ = try await deployment.cliJSON(["confirm", "--order", order, "--payment", first])
        try await expectFailure(
            deployment, ["register", "--amount", "1.00", "--order-total", "100.00"] + cash, code: "ORDER_ALREADY_PAID",
            status: 3)
        try await expectFailure(
            deployment, ["register", "--order", order, "--amount", "1.00", "--currency", "EUR", "--method", "cash"],
            code: "CURRENCY_MISMATCH", status: 3)
        try await expectFailure(
            deployment, ["refund", "--order", order, "--payment", first, "--amount", "100.01"],
            code: "REFUND_EXCEEDS_PAYMENT", status: 3)

        // A failed payment cannot be confirmed.
        let otherOrder = uniqueOrderID()
        let failed = try await register(
            deployment, ["--order", otherOrder, "--amount", "5.00", "--currency", "USD", "--method", "bank_transfer"])
        _ = try await deployment.cliJSON([
            "fail", "--order", otherOrder, "--payment", failed, "--failure-code", "insufficient_funds",
        ])
        try await expectFailure(
            deployment, ["confirm", "--order", otherOrder, "--payment", failed], code: "INVALID_STATE", status: 3)

        // The same idempotency key with another request.
        let keyed = [
            "--order", uniqueOrderID(), "--currency", "USD", "--method", "cash", "--idempotency-key", "k-\(order)",
        ]
        _ = try await register(deployment, ["--amount", "10.00"] + keyed)
        try await expectFailure(
            deployment, ["register", "--amount", "20.00"] + keyed, code: "IDEMPOTENCY_KEY_REUSED", status: 3)

        try await expectFailure(
            deployment, ["get", "--order", order, "--payment", first], code: "UNAUTHENTICATED", status: 4,
            environment: ["PAYMENTS_TOKEN": "ptk_not_a_real_token"])
        await deployment.server.stop()
    }

    @Test("replay with the same key returns the same payment", arguments: StoreKind.available)
    func idempotentReplay(kind: StoreKind) async throws {
        let deployment = try await TestDeployment(kind: kind)
        let order = uniqueOrderID()
        let arguments = [
            "register", "--order", order, "--amount", "10.00", "--currency", "USD", "--method", "cash",
            "--idempotency-key", "replay-\(order)",
        ]

        let first = try await deployment.cliJSON(arguments)
        let second = try await deployment.cliJSON(arguments)
        let firstID = (first["payment"] as? [String: Any])?["payment_id"] as? String
        let secondID = (second["payment"] as? [String: Any])?["payment_id"] as? String
        #expect(firstID != nil)
        #expect(firstID == secondID)

        let listed = try await deployment.cliJSON(["list", "--order", order])
        #expect((listed["payments"] as? [Any])?.count == 1)
        let events = try await deployment.cli(["watch", "--order", order, "--limit", "1", "--json"])
        #expect(events.standardOutput.split(separator: "\n").count == 1)
        await deployment.server.stop()
    }

    @Test("a read-only token cannot write or refund")
    func scopes() async throws {
        let deployment = try await TestDeployment(kind: .sqlite)
        let tokens = deployment.directory.appendingPathComponent("var/tokens.json").path
        let created = try await deployment.cli([
            "token", "create", "--tokens", tokens, "--name", "reader", "--scopes", "payments:read",
        ])
        #expect(created.status == 0, "\(created.standardError)")
        let readerToken = created.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(readerToken.hasPrefix("ptk_"))
        kill(deployment.server.process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(300))

        let order = uniqueOrderID()
        try await expectFailure(
            deployment, ["register", "--order", order, "--amount", "1.00", "--currency", "USD", "--method", "cash"],
            code: "PERMISSION_DENIED", status: 4, environment: ["PAYMENTS_TOKEN": readerToken])
        let result = try await deployment.cli(
            ["register", "--order", order, "--amount", "1.00", "--currency", "USD", "--method", "cash"],
            environment: ["PAYMENTS_TOKEN": readerToken])
        #expect(result.standardError.contains("payments:write"))
        let listed = try await deployment.cli(["list", "--order", order], environment: ["PAYMENTS_TOKEN": readerToken])
        #expect(listed.status == 0, "\(listed.standardError)")
        await deployment.server.stop()
    }

    @Test("Spanish messages follow LANG")
    func spanish() async throws {
        let deployment = try await TestDeployment(kind: .sqlite)
        let order = uniqueOrderID()
        let result = try await deployment.cli(
            ["register", "--order", order, "--amount", "1.001", "--currency", "USD", "--method", "cash"],
            environment: ["LANG": "es_ES.UTF-8"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("INVALID_AMOUNT"))
        #expect(result.standardError.contains("valor no válido"))

        let english = try await deployment.cli(
            ["register", "--order", order, "--amount", "1.001", "--currency", "USD", "--method", "cash"],
            environment: ["LANG": "en_US.UTF-8"])
        #expect(english.standardError.contains("INVALID_AMOUNT"))
        #expect(english.standardError.contains("decimal digits"))
        let help = try await deployment.cli(["help"], environment: ["LC_ALL": "es_MX.UTF-8", "LANG": "en_US.UTF-8"])
        #expect(help.standardOutput.contains("Uso: payments"))
        await deployment.server.stop()
    }
}
