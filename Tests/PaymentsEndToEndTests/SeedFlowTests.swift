import Foundation
import Testing

@Suite("Seed flow through the CLI", .serialized)
struct SeedFlowTests {
    @Test("register, confirm, refund, list, watch", arguments: StoreKind.available)
    func seedFlow(kind: StoreKind) async throws {
        let deployment = try await TestDeployment(kind: kind)
        let order = uniqueOrderID()

        let registered = try await deployment.cliJSON([
            "register", "--order", order, "--amount", "150.00", "--currency", "USD", "--method", "card",
            "--gateway", "stripe", "--gateway-payment-id", "pi_1234567890",
        ])
        let payment = try #require(registered["payment"] as? [String: Any])
        let paymentID = try #require(payment["payment_id"] as? String)
        #expect(paymentID.hasPrefix("pay_"))
        #expect(payment["status"] as? String == "pending")
        #expect(payment["amount_minor_units"] as? Int == 15000)
        #expect(payment["currency"] as? String == "USD")
        #expect(payment["method"] as? String == "card")
        #expect(payment["gateway"] as? String == "stripe")
        #expect(payment["gateway_payment_id"] as? String == "pi_1234567890")

        let confirmed = try await deployment.cliJSON(["confirm", "--order", order, "--payment", paymentID])
        let confirmedPayment = try #require(confirmed["payment"] as? [String: Any])
        #expect(confirmedPayment["status"] as? String == "succeeded")
        #expect((confirmedPayment["confirmed_at_unix_micros"] as? Int ?? 0) > 0)

        let refunded = try await deployment.cliJSON([
            "refund", "--order", order, "--payment", paymentID, "--amount", "50.00", "--reason", "partial_return",
        ])
        let refundedPayment = try #require(refunded["payment"] as? [String: Any])
        let refund = try #require(refunded["refund"] as? [String: Any])
        #expect(refundedPayment["status"] as? String == "partially_refunded")
        #expect(refundedPayment["refunded_minor_units"] as? Int == 5000)
        #expect(refund["amount_minor_units"] as? Int == 5000)
        #expect(refund["reason"] as? String == "partial_return")
        #expect((refund["refund_id"] as? String)?.hasPrefix("re_") == true)

        let listed = try await deployment.cliJSON(["list", "--order", order])
        let payments = try #require(listed["payments"] as? [[String: Any]])
        #expect(payments.count == 1)
        #expect(payments.first?["payment_id"] as? String == paymentID)
        #expect(payments.first?["status"] as? String == "partially_refunded")
        let refunds = try #require(payments.first?["refunds"] as? [[String: Any]])
        #expect(refunds.count == 1)
        #expect(refunds.first?["amount_minor_units"] as? Int == 5000)
        #expect(listed["paid_minor_units"] as? Int == 10000)
        #expect(listed["currency"] as? String == "USD")

        let table = try await deployment.cli(["list", "--order", order])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("150.00 USD"))
        #expect(table.standardOutput.contains("50.00 USD"))
        #expect(table.standardOutput.contains("partially_refunded"))

        let watched = try await deployment.cli([
            "watch", "--order", order, "--from-beginning", "--limit", "3", "--json",
        ])
        #expect(watched.status == 0, "\(watched.standardError)")
        let events = watched.standardOutput.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(
            events.map { $0["type"] as? String } == [
                "order.payment.pending", "order.payment.succeeded", "order.payment.refunded",
            ])
        let positions = events.compactMap { $0["position"] as? Int }
        #expect(positions == positions.sorted() && Set(positions).count == 3)
        #expect(events.last?["refund_amount_minor_units"] as? Int == 5000)
        #expect(events.last?["refunded_minor_units"] as? Int == 5000)
        #expect(events.allSatisfy { $0["payment_id"] as? String == paymentID })
        await deployment.server.stop()
    }

    @Test("restart keeps every payment", arguments: StoreKind.available)
    func restartKeepsPayments(kind: StoreKind) async throws {
        let directory = try makeTemporaryDirectory()
        let store = try kind.storeArgument(in: directory)
        let order = uniqueOrderID()
        var paymentIDs: [String] = []

        for round in 0..<2 {
            let server = try await ServerProcess(
                directory: directory, arguments: ["--store", store, "--development-tokens", "var"])
            let environment = ["PAYMENTS_SERVER": server.address]
            for amount in ["10.00", "20.00"] {
                let result = try await runCLI(
                    [
                        "register", "--order", order, "--amount", amount, "--currency", "EUR", "--method", "cash",
                        "--json",
                    ],
                    environment: environment, directory: directory)
                #expect(result.status == 0, "\(result.standardError)")
                let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
                let payment = object?["payment"] as? [String: Any]
                paymentIDs.append(payment?["payment_id"] as? String ?? "")
            }
            #expect(await server.stop() == 0, "round \(round): the server did not exit cleanly")
        }

        let server = try await ServerProcess(
            directory: directory, arguments: ["--store", store, "--development-tokens", "var"])
        let listed = try await runCLI(
            ["list", "--order", order, "--json"], environment: ["PAYMENTS_SERVER": server.address], directory: directory
        )
        #expect(listed.status == 0, "\(listed.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [String: Any]
        let payments = object?["payments"] as? [[String: Any]] ?? []
        #expect(payments.compactMap { $0["payment_id"] as? String } == paymentIDs)
        #expect(payments.compactMap { $0["amount_minor_units"] as? Int } == [1000, 2000, 1000, 2000])
        await server.stop()
    }
}
