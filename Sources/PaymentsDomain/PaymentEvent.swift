/// An outbox event, written in the same transaction as the change it describes.
///
/// Amounts are minor units of `currency`. Consumers drop duplicates by `eventID` and resume after `position`.
public struct PaymentEvent: Sendable, Hashable, Codable {
    /// `evt_` followed by random URL-safe characters.
    public var eventID: String
    public var type: PaymentEventType
    /// Place in the feed, strictly increasing in commit order; 0 until the store assigns it.
    public var position: Int64
    /// When the change was made, in microseconds since the Unix epoch (UTC).
    public var occurredAtMicros: Int64
    public var orderID: String
    public var paymentID: String
    /// Payment status after the change.
    public var status: PaymentStatus
    public var amountMinorUnits: Int64
    public var currency: String
    /// Refund recorded by this change; empty unless `type` is `refunded`.
    public var refundID: String
    /// Amount of that refund; 0 unless `type` is `refunded`.
    public var refundAmountMinorUnits: Int64
    /// Sum of the payment's refunds after the change.
    public var refundedMinorUnits: Int64
    /// Gateway's failure code; empty unless `type` is `failed`.
    public var failureCode: String

    public init(
        eventID: String, type: PaymentEventType, position: Int64 = 0, occurredAtMicros: Int64, orderID: String,
        paymentID: String, status: PaymentStatus, amountMinorUnits: Int64, currency: String, refundID: String = "",
        refundAmountMinorUnits: Int64 = 0, refundedMinorUnits: Int64 = 0, failureCode: String = ""
    ) {
        self.eventID = eventID
        self.type = type
        self.position = position
        self.occurredAtMicros = occurredAtMicros
        self.orderID = orderID
        self.paymentID = paymentID
        self.status = status
        self.amountMinorUnits = amountMinorUnits
        self.currency = currency
        self.refundID = refundID
        self.refundAmountMinorUnits = refundAmountMinorUnits
        self.refundedMinorUnits = refundedMinorUnits
        self.failureCode = failureCode
    }

    /// Builds the event that describes `payment` after a change, with a new id and no position yet.
    ///
    /// `refund` is the refund the change recorded, for `refunded` events.
    public init(describing payment: Payment, type: PaymentEventType, refund: Refund? = nil, at micros: Int64) {
        self.init(
            eventID: RandomID.make(.event), type: type, occurredAtMicros: micros, orderID: payment.orderID,
            paymentID: payment.paymentID, status: payment.status, amountMinorUnits: payment.amountMinorUnits,
            currency: payment.currency, refundID: refund?.refundID ?? "",
            refundAmountMinorUnits: refund?.amountMinorUnits ?? 0, refundedMinorUnits: payment.refundedMinorUnits,
            failureCode: payment.failureCode)
    }
}
