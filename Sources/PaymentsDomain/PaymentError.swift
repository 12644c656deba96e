/// The error of every payments operation: a stable code, a message for people and details for programs.
///
/// `message` names the offending value and the fix, and never contains a credential or an SQL statement with
/// values, so it can be logged and sent to clients. `details` holds machine-readable facts such as
/// `refundable_minor_units`. `cause` keeps the underlying error for logs; it is not sent to clients.
public struct PaymentError: Error, Sendable, CustomStringConvertible {
    public var code: PaymentErrorCode
    public var message: String
    public var details: [String: String]
    /// Description of the underlying error, such as a database's own message; safe to log, not for clients.
    public var cause: String?

    public init(_ code: PaymentErrorCode, _ message: String, details: [String: String] = [:], cause: String? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.cause = cause
    }

    /// Whether the same request may succeed when sent again unchanged.
    public var isRetryable: Bool { code.isRetryable }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if !details.isEmpty {
            let pairs = details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            text += " [" + pairs.joined(separator: ", ") + "]"
        }
        if let cause {
            text += " (cause: \(cause))"
        }
        return text
    }
}

extension PaymentError {
    static func invalidArgument(_ field: String, _ problem: String) -> PaymentError {
        PaymentError(.invalidArgument, "\(field) \(problem)", details: ["field": field])
    }

    static func invalidAmount(_ field: String, _ problem: String, details: [String: String] = [:]) -> PaymentError {
        var merged = details
        merged["field"] = field
        return PaymentError(.invalidAmount, "\(field) \(problem)", details: merged)
    }
}

extension PaymentError {
    /// `PAYMENT_NOT_FOUND` for a payment id that the order does not have.
    public static func paymentNotFound(orderID: String, paymentID: String) -> PaymentError {
        PaymentError(
            .paymentNotFound, "payment '\(paymentID)' not found on order '\(orderID)'; check both ids",
            details: ["order_id": orderID, "payment_id": paymentID])
    }
}
