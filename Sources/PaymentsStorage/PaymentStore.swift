import PaymentsDomain

/// The system of record for payments, refunds, order balances and the event outbox.
///
/// Every mutating call validates nothing that the command types already validated; it runs the payment rules
/// on freshly locked rows inside one database transaction, writes its event to the outbox in that transaction,
/// and records `idempotency` when given. Failures are ``PaymentError``s: domain codes for rule violations,
/// `STORE_UNAVAILABLE` (retryable) when the database is unreachable or the connection was lost, in which case
/// the change did not commit or its outcome is unknown and a retry under the same idempotency key is safe,
/// and `INTERNAL` for broken invariants.
///
/// Calls block no cooperative-pool or event-loop thread: implementations run database work on their own threads.
public protocol PaymentStore: Sendable {
    /// Registers a pending payment and writes `order.payment.pending`.
    ///
    /// Throws `CURRENCY_MISMATCH`, `ORDER_ALREADY_PAID`, `INVALID_AMOUNT` (above the outstanding balance),
    /// `INVALID_ARGUMENT` (a total different from the order's), and the idempotency codes.
    func register(_ command: RegisterPaymentCommand, idempotency: Idempotency?) async throws -> Payment

    /// Confirms (captures) a pending payment and writes `order.payment.succeeded`.
    ///
    /// Returns an already succeeded payment unchanged, with no event. Throws `PAYMENT_NOT_FOUND`,
    /// `INVALID_STATE`, `ORDER_ALREADY_PAID` or `INVALID_AMOUNT` (the capture would exceed the order total);
    /// the payment then stays pending.
    func confirm(_ command: ConfirmPaymentCommand, idempotency: Idempotency?) async throws -> Payment

    /// Marks a pending payment as failed and writes `order.payment.failed`.
    ///
    /// Throws `PAYMENT_NOT_FOUND` or `INVALID_STATE`.
    func fail(_ command: FailPaymentCommand, idempotency: Idempotency?) async throws -> Payment

    /// Records a refund of a captured payment and writes `order.payment.refunded`.
    ///
    /// Throws `PAYMENT_NOT_FOUND`, `INVALID_STATE`, `CURRENCY_MISMATCH`, or `REFUND_EXCEEDS_PAYMENT` with
    /// `refundable_minor_units` in the details. The cap holds under any concurrency.
    func refund(_ command: RefundPaymentCommand, idempotency: Idempotency?) async throws -> RefundOutcome

    /// Reads one payment with its refunds.
    ///
    /// Throws `PAYMENT_NOT_FOUND` when the order has no such payment.
    func payment(orderID: String, paymentID: String) async throws -> Payment

    /// Lists an order's payments oldest first, one page at a time, with the order's balance.
    ///
    /// `pageSize` 0 means 50 and values above 500 are lowered to 500; `pageToken` is the previous page's
    /// `nextPageToken`, empty for the first page. Throws `INVALID_ARGUMENT` for a negative size or a bad token.
    func listPayments(orderID: String, pageSize: Int, pageToken: String) async throws -> PaymentPage

    /// Reads up to `limit` events with a position above `position`, ordered by position.
    ///
    /// `orderID` and `types` filter when given. Only events whose position is final are returned, and a
    /// position is assigned only once no event with a lower position can still commit, so reading after the
    /// last returned position never skips an event. `limit` is clamped to 1...1000.
    func events(after position: Int64, limit: Int, orderID: String?, types: Set<PaymentEventType>?) async throws
        -> [PaymentEvent]

    /// Position of the newest event, or 0 when none was ever written; the live end of the feed.
    func lastPosition() async throws -> Int64

    /// Position of the oldest event still stored, or nil when the outbox is empty.
    func oldestRetainedPosition() async throws -> Int64?

    /// Deletes events older than `eventRetention` and idempotency keys older than `idempotencyKeyRetention`.
    ///
    /// Idempotency keys are always kept at least 24 hours: a shorter retention is raised to that.
    func purge(eventRetention: Duration, idempotencyKeyRetention: Duration) async throws -> PurgeSummary

    /// A stream that yields whenever new events may be readable; coalesces bursts, so one wake-up may stand
    /// for several events.
    ///
    /// Each call returns a new stream for one consumer. Consumers re-read from their last position on each
    /// element. The stream ends when the store closes.
    func newEventsSignal() -> AsyncStream<Void>

    /// Waits for running calls, closes every connection and ends the event streams; later calls throw
    /// `STORE_UNAVAILABLE`.
    func close() async

    /// Location of the store's data, safe to log: `sqlite:PATH`, or the host, port, database and user of a
    /// PostgreSQL connection as libpq key/value options, never a password.
    var descriptionForLogs: String { get }
}

/// The result of a refund: the payment after it and the refund just recorded.
public struct RefundOutcome: Sendable, Hashable, Codable {
    public var payment: Payment
    public var refund: Refund

    public init(payment: Payment, refund: Refund) {
        self.payment = payment
        self.refund = refund
    }
}

/// One page of an order's payments with the order's balance.
public struct PaymentPage: Sendable, Hashable {
    public var payments: [Payment]
    /// Token of the next page; empty when this page is the last.
    public var nextPageToken: String
    /// The order's currency, total and paid amount; nil when the order has no payment.
    public var balance: OrderBalance?

    public init(payments: [Payment], nextPageToken: String, balance: OrderBalance?) {
        self.payments = payments
        self.nextPageToken = nextPageToken
        self.balance = balance
    }
}

/// What a purge deleted.
public struct PurgeSummary: Sendable, Hashable {
    public var deletedEvents: Int
    public var deletedIdempotencyKeys: Int

    public init(deletedEvents: Int, deletedIdempotencyKeys: Int) {
        self.deletedEvents = deletedEvents
        self.deletedIdempotencyKeys = deletedIdempotencyKeys
    }
}
