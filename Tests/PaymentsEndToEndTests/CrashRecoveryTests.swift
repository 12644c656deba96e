import Foundation
import PaymentsMessages
import PaymentsRPC
import RPCTransport
import Synchronization
import Testing

@Suite("Server killed mid-transaction", .serialized)
struct CrashRecoveryTests {
    @Test("no committed payment lost, none half-written", arguments: StoreKind.available)
    func killDuringWrites(kind: StoreKind) async throws {
        let directory = try makeTemporaryDirectory()
        let store = try kind.storeArgument(in: directory)
        let server = try await ServerProcess(
            directory: directory, arguments: ["--store", store, "--development-tokens", "var"])
        let token = try String(contentsOf: directory.appendingPathComponent("var/dev-token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let order = uniqueOrderID("crash")
        let client = makeClient(port: server.port, token: token)
        let acknowledged = Acknowledged()

        // Eight writers register and confirm payments until the server dies under them.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<400 {
                        let amount = Int64(100 + writer * 1000 + index)
                        do {
                            let registered = try await client.registerPayment(
                                cashPayment(order: "\(order)_\(writer)", amountMinorUnits: amount))
                            guard let payment = registered.payment else { continue }
                            acknowledged.record(payment.paymentID, amount)
                            _ = try await client.confirmPayment(
                                ConfirmPaymentRequest(orderID: payment.orderID, paymentID: payment.paymentID))
                        } catch {
                            return
                        }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(700))
                await server.kill()
            }
            try await group.waitForAll()
        }
        await client.client.close()
        let written = acknowledged.snapshot
        #expect(written.count > 0, "no payment was acknowledged before the kill")

        let restarted = try await ServerProcess(
            directory: directory, arguments: ["--store", store, "--development-tokens", "var"])
        let reader = makeClient(port: restarted.port, token: token)
        var stored: [String: PaymentsMessages.Payment] = [:]
        for writer in 0..<8 {
            let page = try await reader.listPayments(ListPaymentsRequest(orderID: "\(order)_\(writer)", pageSize: 500))
            for payment in page.payments {
                stored[payment.paymentID] = payment
            }
        }
        for (paymentID, amount) in written {
            let payment = try #require(stored[paymentID], "acknowledged payment \(paymentID) was lost")
            #expect(payment.amountMinorUnits == amount)
        }
        for payment in stored.values {
            #expect(payment.status == .pending || payment.status == .succeeded)
            #expect(payment.status != .succeeded || payment.confirmedAtUnixMicros > 0)
            #expect(payment.currency == "USD")
        }

        // Every stored payment has its pending event, and a succeeded one its succeeded event.
        var eventTypes: [String: Set<String>] = [:]
        let events = reader.watchEvents(WatchEventsRequest(startFrom: .beginning))
        var seen = 0
        let wanted = stored.values.reduce(0) { $0 + ($1.status == .succeeded ? 2 : 1) }
        for try await event in events where event.orderID.hasPrefix(order) {
            eventTypes[event.paymentID, default: []].insert(event.type)
            seen += 1
            if seen == wanted {
                break
            }
        }
        for payment in stored.values {
            #expect(eventTypes[payment.paymentID]?.contains("order.payment.pending") == true)
            if payment.status == .succeeded {
                #expect(eventTypes[payment.paymentID]?.contains("order.payment.succeeded") == true)
            }
        }
        await reader.client.close()
        await restarted.stop()
    }
}

/// Payments the server acknowledged before it was killed, by id, with their amounts.
final class Acknowledged: Sendable {
    private let payments = Mutex<[String: Int64]>([:])

    func record(_ paymentID: String, _ amount: Int64) {
        payments.withLock { $0[paymentID] = amount }
    }

    var snapshot: [String: Int64] {
        payments.withLock { $0 }
    }
}
