/// A validated request to refund part or all of a captured payment.
public struct RefundPaymentCommand: Sendable, Hashable {
    /// How much to refund. "Everything" is its own case so that 0 can never mean it.
    public enum Amount: Sendable, Hashable {
        /// This many minor units, above 0.
        case minorUnits(Int64)
        /// Whatever is left to refund when the refund runs.
        case remainder
    }

    public let orderID: String
    public let paymentID: String
    public let amount: Amount
    /// Currency the caller expects; nil means the payment's. Any other value is `CURRENCY_MISMATCH` at refund.
    public let currency: Currency?
    /// Free-text reason, at most 256 characters.
    public let reason: String

    /// - Parameter currencyCode: empty or nil for the payment's currency.
    /// - Throws: ``PaymentError`` `INVALID_AMOUNT` (amount not above 0 or too large), `INVALID_CURRENCY`,
    ///   `INVALID_ARGUMENT` naming the malformed field.
    public init(orderID: String, paymentID: String, amount: Amount, currencyCode: String? = nil, reason: String = "")
        throws(PaymentError)
    {
        try Validation.checkOrderID(orderID)
        try Validation.checkPaymentID(paymentID)
        if case .minorUnits(let value) = amount {
            try Money.validate(value, field: "amount_minor_units")
        }
        if let currencyCode, !currencyCode.isEmpty {
            self.currency = try Currency(code: currencyCode)
        } else {
            self.currency = nil
        }
        try Validation.checkText(reason, field: "reason", maximum: Validation.maximumReasonLength)
        self.orderID = orderID
        self.paymentID = paymentID
        self.amount = amount
        self.reason = reason
    }

    /// The state-machine command of this refund.
    public var stateMachineCommand: PaymentStateMachine.Command {
        switch amount {
        case .minorUnits(let value): .refund(amountMinorUnits: value)
        case .remainder: .refundRemainder
        }
    }

    /// Canonical text of the request, stored with an idempotency key.
    public var fingerprint: String {
        let amountText: String =
            switch amount {
            case .minorUnits(let value): String(value)
            case .remainder: "remainder"
            }
        return Fingerprint.make(["refund", orderID, paymentID, amountText, currency?.code ?? "", reason])
    }

    /// Checks that the refund's currency, when given, is the payment's.
    ///
    /// - Throws: ``PaymentError`` `CURRENCY_MISMATCH` naming both currencies.
    public func checkCurrency(of payment: Payment) throws(PaymentError) {
        guard let currency, currency.code != payment.currency else {
            return
        }
        throw PaymentError(
            .currencyMismatch,
            "refund is in \(currency.code) but payment '\(payment.paymentID)' is in \(payment.currency); "
                + "send \(payment.currency) or leave the currency empty",
            details: ["payment_currency": payment.currency, "currency": currency.code])
    }
}
