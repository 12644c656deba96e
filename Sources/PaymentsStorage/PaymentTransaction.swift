import PaymentsDomain

/// The row operations of one open write transaction, implemented once per database.
///
/// ``PaymentWorkflow`` calls them in order on a worker thread. Each write also inserts its event into the
/// outbox and is conditional on the state the rules checked. A write that finds another state returns
/// `false` instead of changing anything, and the workflow then rolls the transaction back with the right
/// error.
protocol PaymentTransaction {
    /// Inserts `idempotency` as claimed by this transaction, or returns the record of an earlier committed call.
    func claim(_ idempotency: Idempotency, fingerprint: String, nowMicros: Int64) throws -> StoredIdempotency?

    /// Stores the response of this transaction's call under a key it claimed.
    func recordResponse(_ idempotency: Idempotency, response: String) throws

    /// Locks the order, creating it with `currency` and `totalMinorUnits` when new, fixes its total when it had
    /// none, and reserves the next payment ordinal. Returns the balance after that and the ordinal.
    func lockOrderForRegistration(orderID: String, currency: String, totalMinorUnits: Int64?, nowMicros: Int64)
        throws -> (balance: OrderBalance, ordinal: Int64)

    /// Locks a payment against concurrent changes and reads it with its refunds; nil when it does not exist.
    func lockPayment(orderID: String, paymentID: String) throws -> Payment?

    /// Locks an order against concurrent changes and reads its balance; nil when it does not exist.
    func lockOrder(orderID: String) throws -> OrderBalance?

    func insertPayment(_ payment: Payment, ordinal: Int64, event: PaymentEvent) throws

    /// Moves a pending payment to succeeded and adds its amount to the order's paid amount, unless the order's
    /// balance no longer allows it. Returns whether it did.
    func capture(_ payment: Payment, event: PaymentEvent) throws -> Bool

    /// Moves a pending payment to failed; returns whether it was still pending.
    func markFailed(_ payment: Payment, event: PaymentEvent) throws -> Bool

    /// Inserts a refund and adds it to the payment's refunded amount, unless that would exceed the payment's
    /// amount or the payment is not captured; returns whether it did. `payment` is the state after the refund.
    func insertRefund(_ refund: Refund, ordinal: Int64, payment: Payment, event: PaymentEvent) throws -> Bool
}

/// An idempotency key as stored by a committed call.
struct StoredIdempotency {
    var fingerprint: String
    /// JSON of the call's result; nil only while the claiming transaction has not committed.
    var response: String?
}
