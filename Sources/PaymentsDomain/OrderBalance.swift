/// The ledger of one order: its currency, the total when a caller gave one, and the amount paid.
///
/// Paid is the sum of captured payment amounts minus their refunds, in minor units of `currency`.
/// With a total the order is paid once paid reaches it; without one, once any captured payment is not
/// fully refunded (paid above 0).
public struct OrderBalance: Sendable, Hashable, Codable {
    public var orderID: String
    /// Fixed by the order's first payment.
    public var currency: String
    public var totalMinorUnits: Int64?
    public var paidMinorUnits: Int64

    public init(orderID: String, currency: String, totalMinorUnits: Int64?, paidMinorUnits: Int64) {
        self.orderID = orderID
        self.currency = currency
        self.totalMinorUnits = totalMinorUnits
        self.paidMinorUnits = paidMinorUnits
    }

    public var isPaid: Bool {
        if let totalMinorUnits {
            return paidMinorUnits >= totalMinorUnits
        }
        return paidMinorUnits > 0
    }

    /// Minor units still to pay; nil when the order has no total.
    public var outstandingMinorUnits: Int64? { totalMinorUnits.map { max(0, $0 - paidMinorUnits) } }

    /// Checks that a new payment of `amount` in `currency` may be registered on this order.
    ///
    /// `requestedTotal` is the order total the caller sent with the payment, if any. An order without a total
    /// takes the first total a caller gives, so stores apply ``fixingTotal(_:)`` before this check.
    /// - Throws: ``PaymentError`` `CURRENCY_MISMATCH`, `INVALID_ARGUMENT` (a different total), `ORDER_ALREADY_PAID`
    ///   or `INVALID_AMOUNT` (above the outstanding balance).
    public func checkRegistration(amountMinorUnits amount: Int64, currency: String, requestedTotal: Int64?)
        throws(PaymentError)
    {
        guard currency == self.currency else {
            throw PaymentError(
                .currencyMismatch,
                "order '\(orderID)' is in \(self.currency) but the payment is in \(currency); "
                    + "pay the order in \(self.currency)",
                details: ["order_currency": self.currency, "currency": currency])
        }
        if let requestedTotal, let totalMinorUnits, requestedTotal != totalMinorUnits {
            let total = formatAmount(totalMinorUnits)
            throw PaymentError(
                .invalidArgument,
                "order total of \(formatAmount(requestedTotal)) differs from the \(total) total that order "
                    + "'\(orderID)' already has; send \(total) or omit the total",
                details: ["field": "order_total_minor_units", "order_total_minor_units": String(totalMinorUnits)])
        }
        try checkNotPaid(fix: "register no further payment for it")
        if let outstanding = outstandingMinorUnits, amount > outstanding {
            let left = formatAmount(outstanding)
            throw PaymentError(
                .invalidAmount,
                "amount of \(formatAmount(amount)) is above the \(left) left to pay on order '\(orderID)'; "
                    + "pay at most \(left)",
                details: outstandingDetails(outstanding))
        }
    }

    /// Checks that capturing a payment of `amount` keeps the order within its balance.
    ///
    /// - Throws: ``PaymentError`` `ORDER_ALREADY_PAID` when the order is paid, and `INVALID_AMOUNT` when the
    ///   capture would take paid above the total; the payment then stays pending so the caller can release it.
    public func checkCapture(amountMinorUnits amount: Int64) throws(PaymentError) {
        try checkNotPaid(fix: "release this payment at the gateway")
        if let outstanding = outstandingMinorUnits, amount > outstanding {
            throw PaymentError(
                .invalidAmount,
                "capturing \(formatAmount(amount)) would exceed the \(formatAmount(outstanding)) left to pay on order "
                    + "'\(orderID)'; release this payment at the gateway",
                details: outstandingDetails(outstanding))
        }
    }

    /// Returns this balance with `total` as its total when it had none.
    public func fixingTotal(_ total: Int64?) -> OrderBalance {
        var copy = self
        if copy.totalMinorUnits == nil {
            copy.totalMinorUnits = total
        }
        return copy
    }

    /// Formats minor units of the order's currency as people read them in messages, such as 15.00 USD.
    ///
    /// Details keep minor units for programs. A currency code outside the table, which stores never hold, is shown
    /// with the plain count of minor units.
    private func formatAmount(_ minorUnits: Int64) -> String {
        guard let currency = try? Currency(code: self.currency) else {
            return "\(minorUnits) minor units of \(self.currency)"
        }
        return "\(Money.format(minorUnits, currency: currency)) \(currency.code)"
    }

    /// Returns the details of an amount above the outstanding balance, with `currency` so clients can show money.
    private func outstandingDetails(_ outstanding: Int64) -> [String: String] {
        ["field": "amount_minor_units", "outstanding_minor_units": String(outstanding), "currency": currency]
    }

    /// Throws `ORDER_ALREADY_PAID` when the order is paid, with `fix` as what the caller should do instead.
    private func checkNotPaid(fix: String) throws(PaymentError) {
        guard !isPaid else {
            var details = ["paid_minor_units": String(paidMinorUnits)]
            details["order_total_minor_units"] = totalMinorUnits.map { String($0) }
            throw PaymentError(
                .orderAlreadyPaid,
                "order '\(orderID)' is already paid (\(formatAmount(paidMinorUnits))); nothing is left to pay, so "
                    + fix,
                details: details)
        }
    }
}
