/// A payment of an order with its refunds, as stored.
///
/// Amounts are minor units of `currency`; times are microseconds since the Unix epoch (UTC), 0 when the
/// event has not happened.
public struct Payment: Sendable, Hashable, Codable {
    /// `pay_` followed by random URL-safe characters.
    public var paymentID: String
    public var orderID: String
    public var status: PaymentStatus
    public var amountMinorUnits: Int64
    /// Upper-case ISO 4217 code.
    public var currency: String
    public var method: PaymentMethod
    public var gateway: Gateway
    /// The gateway's own payment id; empty when the caller gave none.
    public var gatewayPaymentID: String
    /// Sum of `refunds`; never above `amountMinorUnits`.
    public var refundedMinorUnits: Int64
    /// Gateway's failure code; empty unless `status` is `failed`.
    public var failureCode: String
    /// Gateway's failure message; empty unless `status` is `failed`.
    public var failureMessage: String
    public var createdAtMicros: Int64
    public var confirmedAtMicros: Int64
    public var failedAtMicros: Int64
    /// Refunds in the order they were recorded.
    public var refunds: [Refund]

    public init(
        paymentID: String, orderID: String, status: PaymentStatus, amountMinorUnits: Int64, currency: String,
        method: PaymentMethod, gateway: Gateway, gatewayPaymentID: String = "", refundedMinorUnits: Int64 = 0,
        failureCode: String = "", failureMessage: String = "", createdAtMicros: Int64, confirmedAtMicros: Int64 = 0,
        failedAtMicros: Int64 = 0, refunds: [Refund] = []
    ) {
        self.paymentID = paymentID
        self.orderID = orderID
        self.status = status
        self.amountMinorUnits = amountMinorUnits
        self.currency = currency
        self.method = method
        self.gateway = gateway
        self.gatewayPaymentID = gatewayPaymentID
        self.refundedMinorUnits = refundedMinorUnits
        self.failureCode = failureCode
        self.failureMessage = failureMessage
        self.createdAtMicros = createdAtMicros
        self.confirmedAtMicros = confirmedAtMicros
        self.failedAtMicros = failedAtMicros
        self.refunds = refunds
    }

    /// The lifecycle rules applied to this payment's current values.
    public var stateMachine: PaymentStateMachine {
        PaymentStateMachine(status: status, amountMinorUnits: amountMinorUnits, refundedMinorUnits: refundedMinorUnits)
    }

    /// Minor units that may still be refunded; 0 unless the payment was captured.
    public var refundableMinorUnits: Int64 { stateMachine.refundableMinorUnits }
}
