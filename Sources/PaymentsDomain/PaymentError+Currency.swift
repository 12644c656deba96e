extension PaymentError {
    /// Restates a refund-cap error in the payment's currency, so that people read 100.00 USD, not 10000.
    ///
    /// Adds `currency` to the details and keeps every minor-unit detail for programs. Other errors are
    /// returned unchanged.
    public func inCurrency(_ code: String, paymentID: String) -> PaymentError {
        guard self.code == .refundExceedsPayment, let currency = try? Currency(code: code),
            let refundable = details["refundable_minor_units"].flatMap(Int64.init),
            let requested = details["requested_minor_units"].flatMap(Int64.init)
        else {
            return self
        }
        var copy = self
        copy.details["currency"] = currency.code
        let shownRequested = "\(Money.format(requested, currency: currency)) \(currency.code)"
        let shownRefundable = "\(Money.format(refundable, currency: currency)) \(currency.code)"
        copy.message =
            refundable == 0
            ? "payment '\(paymentID)' is already fully refunded: nothing is left to refund"
            : "refund of \(shownRequested) exceeds the \(shownRefundable) left to refund on payment '\(paymentID)'; "
                + "refund at most \(shownRefundable)"
        return copy
    }
}
