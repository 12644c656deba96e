import PaymentsDomain
import Testing

@testable import PaymentsStorage

@Suite("Store conformance: idempotency")
struct IdempotencyConformanceTests {
    @Test("register replay and reuse", arguments: StoreKind.enabled)
    func registerReplay(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            let key = try Idempotency(key: "K", scope: "checkout:RegisterPayment")
            let first = try RegisterPaymentCommand(
                orderID: orderID, method: .cash, amountMinorUnits: 1000, currencyCode: "USD")
            let different = try RegisterPaymentCommand(
                orderID: orderID, method: .cash, amountMinorUnits: 2000, currencyCode: "USD")

            let created = try await store.register(first, idempotency: key)
            let reused = await errorCode { _ = try await store.register(different, idempotency: key) }
            let replayed = try await store.register(first, idempotency: key)

            #expect(reused == .idempotencyKeyReused)
            #expect(replayed == created)
            let page = try await store.listPayments(orderID: orderID, pageSize: 0, pageToken: "")
            #expect(page.payments.map(\.paymentID) == [created.paymentID])
            #expect(try await allEvents(store, orderID: orderID).count == 1)
        }
    }

    @Test("replay returns the original response", arguments: StoreKind.enabled)
    func replayIsSnapshot(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            let key = try Idempotency(key: "register-1", scope: "checkout:RegisterPayment")
            let command = try RegisterPaymentCommand(
                orderID: orderID, method: .cash, amountMinorUnits: 1000, currencyCode: "USD")
            let created = try await store.register(command, idempotency: key)
            _ = try await store.confirm(
                try ConfirmPaymentCommand(orderID: orderID, paymentID: created.paymentID), idempotency: nil)

            let replayed = try await store.register(command, idempotency: key)

            #expect(replayed.status == .pending)
            #expect(replayed == created)
        }
    }

    @Test("refund replay writes nothing", arguments: StoreKind.enabled)
    func refundReplay(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 3000)

            let first = try await refund(store, payment, 1000, key: "r1")
            let again = try await refund(store, payment, 1000, key: "r1")
            let otherAmount = await errorCode { _ = try await refund(store, payment, 999, key: "r1") }

            #expect(again == first)
            #expect(otherAmount == .idempotencyKeyReused)
            let stored = try await store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
            #expect(stored.refundedMinorUnits == 1000)
            #expect(stored.refunds.count == 1)
            let refunded = try await allEvents(store, orderID: payment.orderID).filter { $0.type == .refunded }
            #expect(refunded.count == 1)
        }
    }

    @Test("failed call does not consume its key", arguments: StoreKind.enabled)
    func failedCallKeepsKeyFree(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 1000)

            let tooMuch = await errorCode { _ = try await refund(store, payment, 1001, key: "retry-me") }
            let retried = await errorCode { _ = try await refund(store, payment, 1001, key: "retry-me") }

            #expect(tooMuch == .refundExceedsPayment)
            #expect(retried == .refundExceedsPayment)
        }
    }

    @Test("scopes keep keys apart", arguments: StoreKind.enabled)
    func scopes(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            let command = try RegisterPaymentCommand(
                orderID: orderID, method: .cash, amountMinorUnits: 10, currencyCode: "USD")
            let other = try RegisterPaymentCommand(
                orderID: newOrderID(), method: .cash, amountMinorUnits: 20, currencyCode: "USD")

            let first = try await store.register(
                command, idempotency: try Idempotency(key: "same", scope: "caller-a:Register"))
            let second = try await store.register(
                other, idempotency: try Idempotency(key: "same", scope: "caller-b:Register"))

            #expect(first.paymentID != second.paymentID)
        }
    }

    @Test("concurrent same key creates one payment", arguments: StoreKind.enabled)
    func concurrentSameKey(kind: StoreKind) async throws {
        try await withStore(kind, poolSize: 10) { store in
            let orderID = newOrderID()
            let key = try Idempotency(key: "burst", scope: "checkout:RegisterPayment")
            let command = try RegisterPaymentCommand(
                orderID: orderID, method: .cash, amountMinorUnits: 500, currencyCode: "USD")

            let results = await withTaskGroup(of: Result<String, PaymentError>.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            return .success(try await store.register(command, idempotency: key).paymentID)
                        } catch {
                            return .failure(error as? PaymentError ?? PaymentError(.internal, "\(error)"))
                        }
                    }
                }
                return await group.reduce(into: [Result<String, PaymentError>]()) { $0.append($1) }
            }

            let ids = Set(results.compactMap { try? $0.get() })
            #expect(ids.count == 1)
            for case .failure(let error) in results {
                #expect(error.code == .idempotencyKeyInProgress)
            }
            let page = try await store.listPayments(orderID: orderID, pageSize: 0, pageToken: "")
            #expect(page.payments.count == 1)
        }
    }

    @Test("confirm replay on succeeded payment", arguments: StoreKind.enabled)
    func confirmTwice(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 800)

            let again = try await store.confirm(
                try ConfirmPaymentCommand(orderID: payment.orderID, paymentID: payment.paymentID), idempotency: nil)

            #expect(again == payment)
            let types = try await allEvents(store, orderID: payment.orderID).map(\.type)
            #expect(types == [.pending, .succeeded])
        }
    }

    @Test("confirm key reuse changes nothing", arguments: StoreKind.enabled)
    func confirmKeyReuse(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let key = try Idempotency(key: "confirm-1", scope: "checkout:ConfirmPayment")
            let orderID = newOrderID()
            var ids: [String] = []
            for _ in 0..<2 {
                let payment = try await store.register(
                    try RegisterPaymentCommand(
                        orderID: orderID, method: .cash, amountMinorUnits: 100, currencyCode: "USD"),
                    idempotency: nil)
                ids.append(payment.paymentID)
            }
            let first = try await store.confirm(
                try ConfirmPaymentCommand(orderID: orderID, paymentID: ids[0]), idempotency: key)
            _ = try await store.refund(
                try RefundPaymentCommand(orderID: orderID, paymentID: ids[0], amount: .remainder), idempotency: nil)

            let reused = await errorCode {
                _ = try await store.confirm(
                    try ConfirmPaymentCommand(orderID: orderID, paymentID: ids[1]), idempotency: key)
            }
            let replayed = try await store.confirm(
                try ConfirmPaymentCommand(orderID: orderID, paymentID: ids[0]), idempotency: key)

            #expect(reused == .idempotencyKeyReused)
            #expect(replayed == first)
            let second = try await store.payment(orderID: orderID, paymentID: ids[1])
            #expect(second.status == .pending)
            let page = try await store.listPayments(orderID: orderID, pageSize: 0, pageToken: "")
            #expect(page.balance?.paidMinorUnits == 0)
            let succeeded = try await allEvents(store, orderID: orderID).filter { $0.type == .succeeded }
            #expect(succeeded.count == 1)
        }
    }

    @Test("register key reuse changes nothing", arguments: StoreKind.enabled)
    func registerKeyReuseOnOtherOrder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let key = try Idempotency(key: "register-x", scope: "checkout:RegisterPayment")
            let firstOrder = newOrderID()
            let otherOrder = newOrderID()
            _ = try await store.register(
                try RegisterPaymentCommand(
                    orderID: firstOrder, method: .cash, amountMinorUnits: 100, currencyCode: "USD"),
                idempotency: key)

            let reused = await errorCode {
                _ = try await store.register(
                    try RegisterPaymentCommand(
                        orderID: otherOrder, method: .cash, amountMinorUnits: 100, currencyCode: "EUR",
                        orderTotalMinorUnits: 500),
                    idempotency: key)
            }

            #expect(reused == .idempotencyKeyReused)
            let page = try await store.listPayments(orderID: otherOrder, pageSize: 0, pageToken: "")
            #expect(page.balance == nil)
            #expect(page.payments.isEmpty)
            #expect(try await allEvents(store, orderID: otherOrder).isEmpty)
        }
    }
}
