/// One refund of a payment; refund records are never rewritten.
public struct Refund: Sendable, Hashable, Codable {
    /// `re_` followed by random URL-safe characters.
    public var refundID: String
    public var paymentID: String
    public var orderID: String
    /// Refunded amount in minor units of `currency`, above 0.
    public var amountMinorUnits: Int64
    /// Always the payment's currency.
    public var currency: String
    /// Caller's free-text reason; may be empty.
    public var reason: String
    /// Microseconds since the Unix epoch (UTC).
    public var createdAtMicros: Int64

    public init(
        refundID: String, paymentID: String, orderID: String, amountMinorUnits: Int64, currency: String,
        reason: String, createdAtMicros: Int64
    ) {
        self.refundID = refundID
        self.paymentID = paymentID
        self.orderID = orderID
        self.amountMinorUnits = amountMinorUnits
        self.currency = currency
        self.reason = reason
        self.createdAtMicros = createdAtMicros
    }
}
