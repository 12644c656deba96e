/// Lifecycle state of a payment.
///
/// `pending` moves to `succeeded` or `failed`; `succeeded` moves to `partially_refunded` or `refunded`;
/// `failed` and `refunded` are final. ``PaymentStateMachine`` enforces the moves.
public enum PaymentStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case pending
    case succeeded
    case failed
    case partiallyRefunded = "partially_refunded"
    case refunded

    /// Whether the money was captured, so the payment counts toward its order's paid amount.
    public var isCaptured: Bool {
        switch self {
        case .succeeded, .partiallyRefunded, .refunded: true
        case .pending, .failed: false
        }
    }
}
