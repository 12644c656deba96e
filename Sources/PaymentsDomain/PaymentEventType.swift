/// Kind of an outbox event; the raw value is the event's `type` on the wire.
public enum PaymentEventType: String, Sendable, Hashable, CaseIterable, Codable {
    case pending = "order.payment.pending"
    case succeeded = "order.payment.succeeded"
    case failed = "order.payment.failed"
    case refunded = "order.payment.refunded"

    /// Parses a wire type such as `order.payment.refunded`.
    ///
    /// - Throws: ``PaymentError`` `INVALID_ARGUMENT` naming the value and the accepted ones.
    public init(parsing text: String) throws(PaymentError) {
        guard let type = PaymentEventType(rawValue: text) else {
            let accepted = PaymentEventType.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidArgument(
                "event_types", "contains \(Validation.quoted(text)), which is not an event type; use \(accepted)")
        }
        self = type
    }
}
