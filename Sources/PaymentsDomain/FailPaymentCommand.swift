/// A validated request to mark a pending payment as failed.
public struct FailPaymentCommand: Sendable, Hashable {
    public let orderID: String
    public let paymentID: String
    /// Gateway's failure code, for example `card_declined`: 1 to 64 characters.
    public let failureCode: String
    /// Gateway's failure message: at most 1024 characters, may be empty.
    public let failureMessage: String

    /// - Throws: ``PaymentError`` `INVALID_ARGUMENT` naming the malformed field.
    public init(orderID: String, paymentID: String, failureCode: String, failureMessage: String = "")
        throws(PaymentError)
    {
        try Validation.checkOrderID(orderID)
        try Validation.checkPaymentID(paymentID)
        try Validation.checkText(
            failureCode, field: "failure_code", maximum: Validation.maximumFailureCodeLength, required: true)
        try Validation.checkText(
            failureMessage, field: "failure_message", maximum: Validation.maximumFailureMessageLength)
        self.orderID = orderID
        self.paymentID = paymentID
        self.failureCode = failureCode
        self.failureMessage = failureMessage
    }

    /// Canonical text of the request, stored with an idempotency key.
    public var fingerprint: String { Fingerprint.make(["fail", orderID, paymentID, failureCode, failureMessage]) }
}
