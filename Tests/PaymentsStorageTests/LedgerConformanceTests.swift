import PaymentsDomain
import Testing

@testable import PaymentsStorage

@Suite("Store conformance: ledger under concurrency")
struct LedgerConformanceTests {
    /// Checks that the order's paid amount equals its captured amounts minus their refunds, and stays within
    /// the total.
    private func expectConsistentLedger(_ store: any PaymentStore, _ orderID: String) async throws {
        let page = try await store.listPayments(orderID: orderID, pageSize: 500, pageToken: "")
        let balance = try #require(page.balance)
        let captured = page.payments.filter(\.status.isCaptured)
        let expectedPaid = captured.reduce(Int64(0)) { $0 + $1.amountMinorUnits - $1.refundedMinorUnits }

        #expect(balance.paidMinorUnits == expectedPaid)
        if let total = balance.totalMinorUnits {
            #expect(balance.paidMinorUnits <= total)
        }
        for payment in page.payments {
            #expect(payment.refunds.reduce(Int64(0)) { $0 + $1.amountMinorUnits } == payment.refundedMinorUnits)
        }
    }

    @Test("split confirms never overpay", arguments: StoreKind.enabled)
    func splitConfirms(kind: StoreKind) async throws {
        try await withStore(kind, poolSize: 6) { store in
            let orderID = newOrderID()
            var ids: [String] = []
            for _ in 0..<5 {
                let payment = try await store.register(
                    try RegisterPaymentCommand(
                        orderID: orderID, method: .cash, amountMinorUnits: 250, currencyCode: "USD",
                        orderTotalMinorUnits: 1000),
                    idempotency: nil)
                ids.append(payment.paymentID)
            }

            let codes = await withTaskGroup(of: PaymentErrorCode?.self) { group in
                for id in ids {
                    group.addTask {
                        await errorCode {
                            _ = try await store.confirm(
                                try ConfirmPaymentCommand(orderID: orderID, paymentID: id), idempotency: nil)
                        }
                    }
                }
                return await group.reduce(into: [PaymentErrorCode?]()) { $0.append($1) }
            }

            #expect(codes.filter { $0 == nil }.count == 4)
            #expect(codes.filter { $0 == .orderAlreadyPaid }.count == 1)
            try await expectConsistentLedger(store, orderID)
        }
    }

    @Test("refund and confirm race keeps the ledger", arguments: StoreKind.enabled)
    func refundConfirmRace(kind: StoreKind) async throws {
        try await withStore(kind, poolSize: 4) { store in
            for _ in 0..<5 {
                let orderID = newOrderID()
                let first = try await store.register(
                    try RegisterPaymentCommand(
                        orderID: orderID, method: .cash, amountMinorUnits: 1000, currencyCode: "USD",
                        orderTotalMinorUnits: 1000),
                    idempotency: nil)
                let second = try await store.register(
                    try RegisterPaymentCommand(
                        orderID: orderID, method: .cash, amountMinorUnits: 1000, currencyCode: "USD"),
                    idempotency: nil)
                let captured = try await store.confirm(
                    try ConfirmPaymentCommand(orderID: orderID, paymentID: first.paymentID), idempotency: nil)

                async let refundCode = errorCode { _ = try await refund(store, captured, 1000) }
                async let confirmCode = errorCode {
                    _ = try await store.confirm(
                        try ConfirmPaymentCommand(orderID: orderID, paymentID: second.paymentID), idempotency: nil)
                }
                let codes = await (refundCode, confirmCode)

                #expect(codes.0 == nil)
                #expect(codes.1 == nil || codes.1 == .orderAlreadyPaid)
                try await expectConsistentLedger(store, orderID)
            }
        }
    }

    @Test("concurrent remainder refunds refund once", arguments: StoreKind.enabled)
    func concurrentRemainders(kind: StoreKind) async throws {
        try await withStore(kind, poolSize: 10) { store in
            let payment = try await capturedPayment(store, amount: 777)

            let outcomes = await withTaskGroup(of: Int64?.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        let command = try? RefundPaymentCommand(
                            orderID: payment.orderID, paymentID: payment.paymentID, amount: .remainder)
                        guard let command else {
                            return nil
                        }
                        return try? await store.refund(command, idempotency: nil).refund.amountMinorUnits
                    }
                }
                return await group.reduce(into: [Int64?]()) { $0.append($1) }
            }

            #expect(outcomes.compactMap { $0 } == [777])
            try await expectConsistentLedger(store, payment.orderID)
        }
    }

    @Test("text fields round-trip exactly", arguments: StoreKind.enabled)
    func textRoundTrip(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = "Ord_1.2:3-" + newOrderID()
            let reason = "devolución parcial: 2 × 🧦, 'quoted' \"double\" \\ back"
            let payment = try await capturedPayment(store, amount: Money.maximumMinorUnits, orderID: orderID)

            let outcome = try await store.refund(
                try RefundPaymentCommand(
                    orderID: orderID, paymentID: payment.paymentID, amount: .minorUnits(1), reason: reason),
                idempotency: nil)
            let stored = try await store.payment(orderID: orderID, paymentID: payment.paymentID)

            #expect(stored.refunds.first?.reason == reason)
            #expect(stored.refunds.first == outcome.refund)
            #expect(stored.amountMinorUnits == Money.maximumMinorUnits)
            #expect(stored.orderID == orderID)
        }
    }
}
