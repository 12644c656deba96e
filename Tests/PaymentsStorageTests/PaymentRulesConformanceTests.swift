import PaymentsDomain
import Testing

@testable import PaymentsStorage

@Suite("Store conformance: payment rules")
struct PaymentRulesConformanceTests {
    @Test("concurrent refunds cannot exceed payment", arguments: StoreKind.enabled)
    func concurrentRefunds(kind: StoreKind) async throws {
        try await withStore(kind, poolSize: 21) { store in
            let payment = try await capturedPayment(store, amount: 10000)

            let codes = await withTaskGroup(of: PaymentErrorCode?.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        await errorCode { _ = try await refund(store, payment, 6000, key: "refund-\(index)") }
                    }
                }
                var codes: [PaymentErrorCode?] = []
                for await code in group {
                    codes.append(code)
                }
                return codes
            }

            #expect(codes.filter { $0 == nil }.count == 1)
            #expect(codes.filter { $0 == .refundExceedsPayment }.count == 19)
            let stored = try await store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
            #expect(stored.refundedMinorUnits == 6000)
            #expect(stored.status == .partiallyRefunded)
            #expect(stored.refunds.count == 1)
            let refunded = try await allEvents(store, orderID: payment.orderID).filter { $0.type == .refunded }
            #expect(refunded.count == 1)
        }
    }

    @Test("refund cap to the unit", arguments: StoreKind.enabled)
    func refundCap(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 10000)

            #expect(await errorCode { _ = try await refund(store, payment, 9999) } == nil)
            #expect(await errorCode { _ = try await refund(store, payment, 2) } == .refundExceedsPayment)
            #expect(await errorCode { _ = try await refund(store, payment, 1) } == nil)
            #expect(await errorCode { _ = try await refund(store, payment, 1) } == .refundExceedsPayment)

            let stored = try await store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
            #expect(stored.status == .refunded)
            #expect(stored.refundedMinorUnits == 10000)
        }
    }

    @Test("exceeding refund names the remainder", arguments: StoreKind.enabled)
    func exceedsDetails(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 10000)
            _ = try await refund(store, payment, 9999)

            await #expect {
                _ = try await refund(store, payment, 2)
            } throws: { error in
                let error = error as? PaymentError
                return error?.code == .refundExceedsPayment && error?.details["refundable_minor_units"] == "1"
            }
        }
    }

    @Test(
        "cap ignores the gateway",
        arguments: StoreKind.enabled.flatMap { kind in [(kind, PaymentMethod.cash), (kind, .customerCredit)] })
    func capIgnoresGateway(kind: StoreKind, method: PaymentMethod) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 5000, method: method)

            #expect(await errorCode { _ = try await refund(store, payment, 5000) } == nil)
            #expect(await errorCode { _ = try await refund(store, payment, 1) } == .refundExceedsPayment)
        }
    }

    @Test("invalid amounts change nothing", arguments: StoreKind.enabled)
    func invalidAmounts(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 5000)
            let eventsBefore = try await allEvents(store, orderID: payment.orderID)

            for amount: Int64 in [0, -100] {
                let code = await errorCode { _ = try await refund(store, payment, amount) }
                #expect(code == .invalidAmount)
            }
            for amount: Int64 in [0, -1] {
                let code = await errorCode {
                    _ = try await store.register(
                        try RegisterPaymentCommand(
                            orderID: payment.orderID, method: .cash, amountMinorUnits: amount, currencyCode: "USD"),
                        idempotency: nil)
                }
                #expect(code == .invalidAmount)
            }

            let stored = try await store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
            #expect(stored == payment)
            #expect(try await allEvents(store, orderID: payment.orderID) == eventsBefore)
            let page = try await store.listPayments(orderID: payment.orderID, pageSize: 0, pageToken: "")
            #expect(page.payments.count == 1)
        }
    }

    @Test("two refunds reach refunded exactly", arguments: StoreKind.enabled)
    func twoRefunds(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 6240)

            let first = try await refund(store, payment, 4320)
            let second = try await refund(store, payment, 1920)

            #expect(first.payment.status == .partiallyRefunded)
            #expect(second.payment.status == .refunded)
            #expect(second.payment.refundedMinorUnits == 6240)
            #expect(second.payment.refunds.map(\.amountMinorUnits) == [4320, 1920])
            #expect(await errorCode { _ = try await refund(store, payment, 1) } == .refundExceedsPayment)
            let stored = try await store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
            #expect(stored == second.payment)
        }
    }

    @Test("failed payment stays failed", arguments: StoreKind.enabled)
    func failedPayment(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            let registered = try await store.register(
                try RegisterPaymentCommand(
                    orderID: orderID, method: .card, amountMinorUnits: 700, currencyCode: "EUR",
                    gatewayPaymentID: "pi_1"),
                idempotency: nil)
            let failed = try await store.fail(
                try FailPaymentCommand(
                    orderID: orderID, paymentID: registered.paymentID, failureCode: "card_declined",
                    failureMessage: "Declined"),
                idempotency: nil)

            let confirm = await errorCode {
                _ = try await store.confirm(
                    try ConfirmPaymentCommand(orderID: orderID, paymentID: registered.paymentID), idempotency: nil)
            }
            let refunded = await errorCode { _ = try await refund(store, registered, 100) }
            let failAgain = await errorCode {
                _ = try await store.fail(
                    try FailPaymentCommand(orderID: orderID, paymentID: registered.paymentID, failureCode: "x"),
                    idempotency: nil)
            }

            #expect(confirm == .invalidState)
            #expect(refunded == .invalidState)
            #expect(failAgain == .invalidState)
            #expect(failed.status == .failed)
            #expect(failed.failureCode == "card_declined")
            let stored = try await store.payment(orderID: orderID, paymentID: registered.paymentID)
            #expect(stored == failed)
            let types = try await allEvents(store, orderID: orderID).map(\.type)
            #expect(types == [.pending, .failed])
        }
    }

    @Test("concurrent confirms pay an order once", arguments: StoreKind.enabled)
    func concurrentConfirms(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            var ids: [String] = []
            for _ in 0..<2 {
                let payment = try await store.register(
                    try RegisterPaymentCommand(
                        orderID: orderID, method: .cash, amountMinorUnits: 1000, currencyCode: "USD",
                        orderTotalMinorUnits: 1000),
                    idempotency: nil)
                ids.append(payment.paymentID)
            }

            let (firstID, secondID) = (ids[0], ids[1])
            async let first = errorCode {
                _ = try await store.confirm(
                    try ConfirmPaymentCommand(orderID: orderID, paymentID: firstID), idempotency: nil)
            }
            async let second = errorCode {
                _ = try await store.confirm(
                    try ConfirmPaymentCommand(orderID: orderID, paymentID: secondID), idempotency: nil)
            }
            let codes = await [first, second]

            #expect(codes.filter { $0 == nil }.count == 1)
            #expect(codes.filter { $0 == .orderAlreadyPaid }.count == 1)
            let page = try await store.listPayments(orderID: orderID, pageSize: 10, pageToken: "")
            #expect(page.balance?.paidMinorUnits == 1000)
            #expect(page.payments.map(\.status).sorted { $0.rawValue < $1.rawValue } == [.pending, .succeeded])
        }
    }

    @Test("many concurrent confirms pay an order once", arguments: StoreKind.enabled)
    func manyConcurrentConfirms(kind: StoreKind) async throws {
        try await withStore(kind, poolSize: 12) { store in
            let orderID = newOrderID()
            var ids: [String] = []
            for _ in 0..<10 {
                let payment = try await store.register(
                    try RegisterPaymentCommand(
                        orderID: orderID, method: .cash, amountMinorUnits: 400, currencyCode: "USD"),
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

            #expect(codes.filter { $0 == nil }.count == 1)
            #expect(codes.filter { $0 == .orderAlreadyPaid }.count == 9)
        }
    }
}
