import PaymentsDomain
import Testing

@testable import PaymentsStorage

@Suite("Store conformance: orders")
struct OrderConformanceTests {
    private func register(
        _ store: any PaymentStore, _ orderID: String, _ amount: Int64, currency: String = "USD", total: Int64? = nil,
        method: PaymentMethod = .cash
    ) async throws -> Payment {
        try await store.register(
            try RegisterPaymentCommand(
                orderID: orderID, method: method, amountMinorUnits: amount, currencyCode: currency,
                gatewayPaymentID: method == .card ? "pi_x" : "", orderTotalMinorUnits: total),
            idempotency: nil)
    }

    private func confirm(_ store: any PaymentStore, _ payment: Payment) async throws -> Payment {
        try await store.confirm(
            try ConfirmPaymentCommand(orderID: payment.orderID, paymentID: payment.paymentID), idempotency: nil)
    }

    @Test("split payment fills the total", arguments: StoreKind.enabled)
    func splitPayment(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()

            let cash = try await register(store, orderID, 3000, total: 10000)
            _ = try await confirm(store, cash)
            let above = await errorCode { _ = try await register(store, orderID, 7001, total: 10000, method: .card) }
            let card = try await register(store, orderID, 7000, method: .card)
            _ = try await confirm(store, card)
            let paid = await errorCode { _ = try await register(store, orderID, 1) }

            #expect(above == .invalidAmount)
            #expect(paid == .orderAlreadyPaid)
            let page = try await store.listPayments(orderID: orderID, pageSize: 0, pageToken: "")
            #expect(
                page.balance
                    == OrderBalance(orderID: orderID, currency: "USD", totalMinorUnits: 10000, paidMinorUnits: 10000))
        }
    }

    @Test("currency is fixed by the first payment", arguments: StoreKind.enabled)
    func currencyMismatch(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            let first = try await register(store, orderID, 500, currency: "JPY")

            let other = await errorCode { _ = try await register(store, orderID, 500, currency: "USD") }
            _ = try await confirm(store, first)
            let refundInUSD = await errorCode {
                _ = try await store.refund(
                    try RefundPaymentCommand(
                        orderID: orderID, paymentID: first.paymentID, amount: .minorUnits(1), currencyCode: "USD"),
                    idempotency: nil)
            }

            #expect(other == .currencyMismatch)
            #expect(refundInUSD == .currencyMismatch)
        }
    }

    @Test("a different total is rejected", arguments: StoreKind.enabled)
    func differentTotal(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            _ = try await register(store, orderID, 100, total: 1000)

            let different = await errorCode { _ = try await register(store, orderID, 100, total: 999) }
            let same = await errorCode { _ = try await register(store, orderID, 100, total: 1000) }

            #expect(different == .invalidArgument)
            #expect(same == nil)
        }
    }

    @Test("order without total is paid once", arguments: StoreKind.enabled)
    func orderWithoutTotal(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            let first = try await confirm(store, try await register(store, orderID, 100))

            let again = await errorCode { _ = try await register(store, orderID, 100) }
            let laterTotalBelowPaid = await errorCode { _ = try await register(store, orderID, 10, total: 50) }
            _ = try await store.refund(
                try RefundPaymentCommand(orderID: orderID, paymentID: first.paymentID, amount: .remainder),
                idempotency: nil)
            let afterRefund = await errorCode { _ = try await register(store, orderID, 100) }

            #expect(again == .orderAlreadyPaid)
            #expect(laterTotalBelowPaid == .orderAlreadyPaid)
            #expect(afterRefund == nil)
        }
    }

    @Test("capture above balance stays pending", arguments: StoreKind.enabled)
    func captureAboveBalance(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            let first = try await register(store, orderID, 600, total: 1000)
            let second = try await register(store, orderID, 600)
            _ = try await confirm(store, first)

            var rejection: PaymentError?
            do {
                _ = try await confirm(store, second)
            } catch let error as PaymentError {
                rejection = error
            }

            #expect(rejection?.code == .invalidAmount)
            #expect(
                rejection?.message
                    == "capturing 6.00 USD would exceed the 4.00 USD left to pay on order '\(orderID)'; "
                    + "release this payment at the gateway")
            #expect(
                rejection?.details == [
                    "field": "amount_minor_units", "outstanding_minor_units": "400", "currency": "USD",
                ])
            let stored = try await store.payment(orderID: orderID, paymentID: second.paymentID)
            #expect(stored.status == .pending)
            let types = try await allEvents(store, orderID: orderID).map(\.type)
            #expect(types == [.pending, .pending, .succeeded])
        }
    }

    @Test("unknown payment is not found", arguments: StoreKind.enabled)
    func notFound(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 100)
            let otherOrder = newOrderID()

            let read = await errorCode {
                _ = try await store.payment(orderID: otherOrder, paymentID: payment.paymentID)
            }
            let confirm = await errorCode {
                _ = try await store.confirm(
                    try ConfirmPaymentCommand(orderID: otherOrder, paymentID: payment.paymentID), idempotency: nil)
            }
            let refunded = await errorCode {
                _ = try await store.refund(
                    try RefundPaymentCommand(
                        orderID: payment.orderID, paymentID: RandomID.make(.payment), amount: .remainder),
                    idempotency: nil)
            }
            let malformed = await errorCode {
                _ = try await store.payment(orderID: payment.orderID, paymentID: "pay_x'; --")
            }

            #expect(read == .paymentNotFound)
            #expect(confirm == .paymentNotFound)
            #expect(refunded == .paymentNotFound)
            #expect(malformed == .invalidArgument)
        }
    }

    @Test("listing pages through payments", arguments: StoreKind.enabled)
    func listing(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let orderID = newOrderID()
            var created: [String] = []
            for _ in 0..<5 {
                created.append(try await register(store, orderID, 10).paymentID)
            }
            let refunded = try await confirm(store, try await store.payment(orderID: orderID, paymentID: created[1]))
            _ = try await refund(store, refunded, 4)

            var listed: [Payment] = []
            var token = ""
            var pages = 0
            repeat {
                let page = try await store.listPayments(orderID: orderID, pageSize: 2, pageToken: token)
                listed += page.payments
                token = page.nextPageToken
                pages += 1
            } while !token.isEmpty && pages < 10

            #expect(pages == 3)
            #expect(listed.map(\.paymentID) == created)
            #expect(listed[1].refunds.map(\.amountMinorUnits) == [4])
            let empty = try await store.listPayments(orderID: newOrderID(), pageSize: 0, pageToken: "")
            #expect(empty.payments.isEmpty)
            #expect(empty.balance == nil)
            #expect(
                await errorCode {
                    _ = try await store.listPayments(orderID: orderID, pageSize: 0, pageToken: "garbage!")
                } == .invalidArgument)
            #expect(
                await errorCode { _ = try await store.listPayments(orderID: orderID, pageSize: -1, pageToken: "") }
                    == .invalidArgument)
        }
    }

    @Test("remainder refund takes the rest", arguments: StoreKind.enabled)
    func remainderRefund(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 92000, currency: "KWD")
            _ = try await refund(store, payment, 1)

            let outcome = try await store.refund(
                try RefundPaymentCommand(
                    orderID: payment.orderID, paymentID: payment.paymentID, amount: .remainder, reason: "return"),
                idempotency: nil)

            #expect(outcome.refund.amountMinorUnits == 91999)
            #expect(outcome.refund.reason == "return")
            #expect(outcome.payment.status == .refunded)
            let page = try await store.listPayments(orderID: payment.orderID, pageSize: 0, pageToken: "")
            #expect(page.balance?.paidMinorUnits == 0)
        }
    }
}
