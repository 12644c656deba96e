/// Stable domain code of a ``PaymentError``, sent to clients next to the RPC status.
///
/// Raw values are part of the wire contract: never rename or reuse one.
public enum PaymentErrorCode: String, Sendable, Hashable, CaseIterable, Codable {
    case paymentNotFound = "PAYMENT_NOT_FOUND"
    case invalidAmount = "INVALID_AMOUNT"
    case orderAlreadyPaid = "ORDER_ALREADY_PAID"
    case refundExceedsPayment = "REFUND_EXCEEDS_PAYMENT"
    case invalidState = "INVALID_STATE"
    case invalidCurrency = "INVALID_CURRENCY"
    case currencyMismatch = "CURRENCY_MISMATCH"
    case idempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED"
    /// The first call with the same idempotency key has not finished; retry after it does.
    case idempotencyKeyInProgress = "IDEMPOTENCY_KEY_IN_PROGRESS"
    case invalidArgument = "INVALID_ARGUMENT"
    case unauthenticated = "UNAUTHENTICATED"
    case permissionDenied = "PERMISSION_DENIED"
    /// The database could not be reached or lost the connection; the change did not commit.
    case storeUnavailable = "STORE_UNAVAILABLE"
    /// An event watch requested a resume after a position older than the oldest event the outbox still keeps.
    case eventsExpired = "EVENTS_EXPIRED"
    /// A bug or a broken invariant; never retried.
    case `internal` = "INTERNAL"

    /// Name of the canonical gRPC status code that the RPC layer sends for this code.
    public var statusName: String {
        switch self {
        case .paymentNotFound: "NOT_FOUND"
        case .invalidAmount, .invalidCurrency, .idempotencyKeyReused, .invalidArgument: "INVALID_ARGUMENT"
        case .orderAlreadyPaid, .refundExceedsPayment, .invalidState, .currencyMismatch: "FAILED_PRECONDITION"
        case .idempotencyKeyInProgress: "ABORTED"
        case .unauthenticated: "UNAUTHENTICATED"
        case .permissionDenied: "PERMISSION_DENIED"
        case .storeUnavailable: "UNAVAILABLE"
        case .eventsExpired: "OUT_OF_RANGE"
        case .internal: "INTERNAL"
        }
    }

    /// Whether the same request may succeed when sent again unchanged.
    public var isRetryable: Bool {
        switch self {
        case .idempotencyKeyInProgress, .storeUnavailable: true
        default: false
        }
    }
}
