/// A validated request to confirm (capture) a pending payment.
public struct ConfirmPaymentCommand: Sendable, Hashable {
    public let orderID: String
    public let paymentID: String

    /// - Throws: ``PaymentError`` `INVALID_ARGUMENT` for a malformed order or payment id.
    public init(orderID: String, paymentID: String) throws(PaymentError) {
        try Validation.checkOrderID(orderID)
        try Validation.checkPaymentID(paymentID)
        self.orderID = orderID
        self.paymentID = paymentID
    }

    /// Canonical text of the request, stored with an idempotency key.
    public var fingerprint: String { Fingerprint.make(["confirm", orderID, paymentID]) }
}
