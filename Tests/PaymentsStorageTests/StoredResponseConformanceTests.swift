import Foundation
import PaymentsDomain
import Testing

@testable import PaymentsStorage

/// Checks the responses the stores write with idempotency keys, read straight from the database.
@Suite("Store conformance: stored responses")
struct StoredResponseConformanceTests {
    /// Escapes and multi-byte UTF-8 that the command checks accept in free text.
    static let hardText = #"é 💳 "quoted" C:\back/slash"#

    @Test("stored text equals JSONEncoder output", arguments: StoreKind.enabled)
    func storedText(kind: StoreKind) async throws {
        try await withStoreLocation(kind) { location, store in
            let orderID = newOrderID()

            let registerKey = try Idempotency(key: "register", scope: "test:stored")
            let registered = try await store.register(
                try RegisterPaymentCommand(
                    orderID: orderID, method: .card, amountMinorUnits: 5000, currencyCode: "EUR",
                    gatewayPaymentID: #"pi_"q"\/x"#),
                idempotency: registerKey)
            let confirmKey = try Idempotency(key: "confirm", scope: "test:stored")
            let confirmed = try await store.confirm(
                try ConfirmPaymentCommand(orderID: orderID, paymentID: registered.paymentID), idempotency: confirmKey)
            let refundKey = try Idempotency(key: "refund", scope: "test:stored")
            let refunded = try await store.refund(
                try RefundPaymentCommand(
                    orderID: orderID, paymentID: registered.paymentID, amount: .minorUnits(1200), reason: Self.hardText),
                idempotency: refundKey)
            let pending = try await store.register(
                try RegisterPaymentCommand(
                    orderID: newOrderID(), method: .cash, amountMinorUnits: 100, currencyCode: "EUR"),
                idempotency: nil)
            let failKey = try Idempotency(key: "fail", scope: "test:stored")
            let failed = try await store.fail(
                try FailPaymentCommand(
                    orderID: pending.orderID, paymentID: pending.paymentID, failureCode: Self.hardText,
                    failureMessage: Self.hardText + " \u{2028} 👨‍👩‍👧"),
                idempotency: failKey)

            let storedRegister = try await location.storedResponse(registerKey)
            let storedConfirm = try await location.storedResponse(confirmKey)
            let storedRefund = try await location.storedResponse(refundKey)
            let storedFail = try await location.storedResponse(failKey)
            let encodedRegister = try ResponseSamples.foundationJSON(registered)
            let encodedConfirm = try ResponseSamples.foundationJSON(confirmed)
            let encodedRefund = try ResponseSamples.foundationJSON(refunded)
            let encodedFail = try ResponseSamples.foundationJSON(failed)

            #expect(storedRegister == encodedRegister)
            #expect(storedConfirm == encodedConfirm)
            #expect(storedRefund == encodedRefund)
            #expect(storedFail == encodedFail)
            #expect(refunded.refund.reason == Self.hardText)
            #expect(failed.failureCode == Self.hardText)
        }
    }

    @Test("replay returns hard text intact", arguments: StoreKind.enabled)
    func replayHardText(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 3000)
            let key = try Idempotency(key: "refund-hard-text", scope: "test:stored")
            let command = try RefundPaymentCommand(
                orderID: payment.orderID, paymentID: payment.paymentID, amount: .minorUnits(700),
                reason: Self.hardText)

            let first = try await store.refund(command, idempotency: key)
            let replayed = try await store.refund(command, idempotency: key)

            #expect(replayed == first)
            #expect(replayed.refund.reason == Self.hardText)
            #expect(replayed.payment.refunds.map(\.reason) == [Self.hardText])
        }
    }

    /// A row written by the `JSONEncoder` the writer replaced must still replay. The planted row differs from
    /// the payment in the database, so the test can tell the stored text was the one returned.
    @Test("row written by JSONEncoder replays", arguments: StoreKind.enabled)
    func encoderRowReplays(kind: StoreKind) async throws {
        try await withStoreLocation(kind) { location, store in
            let key = try Idempotency(key: "planted", scope: "test:stored")
            let command = try RegisterPaymentCommand(
                orderID: newOrderID(), method: .cash, amountMinorUnits: 900, currencyCode: "USD")
            let registered = try await store.register(command, idempotency: key)

            var planted = registered
            planted.failureMessage = Self.hardText
            planted.refunds = [ResponseSamples.refund(text: Self.hardText, integer: -1)]
            try await location.replaceStoredResponse(key, with: try ResponseSamples.foundationJSON(planted))
            let replayed = try await store.register(command, idempotency: key)

            #expect(replayed == planted)
        }
    }
}

/// Opens a fresh store like ``withStore(_:poolSize:_:)`` and also passes where it lives.
private func withStoreLocation(
    _ kind: StoreKind, _ body: (StoreLocation, any PaymentStore) async throws -> Void
) async throws {
    let location = try await StoreLocation.make(kind)
    defer { location.remove() }
    let store = try await location.open()
    do {
        try await body(location, store)
        await store.close()
    } catch {
        await store.close()
        throw error
    }
}

extension StoreLocation {
    /// Reads the response stored with `idempotency` on a new connection, outside the store.
    fileprivate func storedResponse(_ idempotency: Idempotency) async throws -> String? {
        let rows = try await query(
            "SELECT response FROM idempotency_keys WHERE scope = $1 AND key = $2",
            [.text(idempotency.scope), .text(idempotency.key)])
        return rows.first?.columns[0]
    }

    /// Overwrites the response stored with `idempotency` on a new connection, outside the store.
    fileprivate func replaceStoredResponse(_ idempotency: Idempotency, with response: String) async throws {
        _ = try await query(
            "UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2",
            [.text(idempotency.scope), .text(idempotency.key), .text(response)])
    }

    private func query(_ sql: String, _ parameters: [DatabaseValue]) async throws -> [DatabaseRow] {
        let kind = kind
        let address = address
        return try await Task.detached {
            switch kind {
            case .sqlite:
                try SQLiteConnection(path: address, busyTimeoutMilliseconds: 5000).query(sql, parameters)
            case .postgres:
                try PostgresConnection(connectionString: address).query(sql, parameters)
            }
        }.value
    }
}
