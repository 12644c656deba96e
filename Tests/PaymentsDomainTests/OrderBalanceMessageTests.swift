import PaymentsDomain
import Testing

@Suite("Order balance messages")
struct OrderBalanceMessageTests {
    /// Builds an order with a total of 10 major units of `currency` and 6 of them paid, so 4 are left to pay.
    private func balance(_ currency: String, unit: Int64) -> OrderBalance {
        OrderBalance(orderID: "order_1", currency: currency, totalMinorUnits: 10 * unit, paidMinorUnits: 6 * unit)
    }

    @Test(
        "capture above balance names money",
        arguments: [
            ("USD", Int64(100), "5.00 USD", "4.00 USD"), ("JPY", 1, "5 JPY", "4 JPY"),
            ("KWD", 1000, "5.000 KWD", "4.000 KWD"),
        ])
    func captureAboveBalance(currency: String, unit: Int64, amount: String, left: String) {
        let error = #expect(throws: PaymentError.self) {
            try balance(currency, unit: unit).checkCapture(amountMinorUnits: 5 * unit)
        }

        #expect(error?.code == .invalidAmount)
        #expect(
            error?.message
                == "capturing \(amount) would exceed the \(left) left to pay on order 'order_1'; "
                + "release this payment at the gateway")
        #expect(
            error?.details == [
                "field": "amount_minor_units", "outstanding_minor_units": String(4 * unit), "currency": currency,
            ])
    }

    @Test("registration above balance names money")
    func registrationAboveBalance() {
        let error = #expect(throws: PaymentError.self) {
            try balance("USD", unit: 100).checkRegistration(amountMinorUnits: 401, currency: "USD", requestedTotal: nil)
        }

        #expect(error?.code == .invalidAmount)
        #expect(
            error?.message
                == "amount of 4.01 USD is above the 4.00 USD left to pay on order 'order_1'; pay at most 4.00 USD"
        )
        #expect(
            error?.details == [
                "field": "amount_minor_units", "outstanding_minor_units": "400", "currency": "USD",
            ])
    }

    @Test("different total names money")
    func differentTotal() {
        let error = #expect(throws: PaymentError.self) {
            try balance("USD", unit: 100).checkRegistration(amountMinorUnits: 1, currency: "USD", requestedTotal: 999)
        }

        #expect(error?.code == .invalidArgument)
        #expect(
            error?.message
                == "order total of 9.99 USD differs from the 10.00 USD total that order 'order_1' already has; "
                + "send 10.00 USD or omit the total")
        #expect(error?.details == ["field": "order_total_minor_units", "order_total_minor_units": "1000"])
    }

    @Test("paid order names the amount and the fix")
    func paidOrder() {
        let paid = OrderBalance(orderID: "order_1", currency: "USD", totalMinorUnits: 1000, paidMinorUnits: 1000)

        let capture = #expect(throws: PaymentError.self) { try paid.checkCapture(amountMinorUnits: 1) }
        let registration = #expect(throws: PaymentError.self) {
            try paid.checkRegistration(amountMinorUnits: 1, currency: "USD", requestedTotal: nil)
        }

        #expect(capture?.code == .orderAlreadyPaid)
        #expect(
            capture?.message
                == "order 'order_1' is already paid (10.00 USD); nothing is left to pay, so release this payment "
                + "at the gateway")
        #expect(capture?.details == ["paid_minor_units": "1000", "order_total_minor_units": "1000"])
        #expect(registration?.code == .orderAlreadyPaid)
        #expect(registration?.message.hasSuffix("so register no further payment for it") == true)
    }
}
