/// Processor that moves the money of a payment.
public enum Gateway: String, Sendable, Hashable, CaseIterable, Codable {
    case stripe
    case pos
    case manual
    case `internal`

    /// Returns the gateway of a payment: `requested` when it matches `method`, the method's gateway when absent.
    ///
    /// - Throws: ``PaymentError`` `INVALID_ARGUMENT` naming both values when `requested` belongs to another method.
    public static func resolve(method: PaymentMethod, requested: Gateway?) throws(PaymentError) -> Gateway {
        guard let requested else {
            return method.gateway
        }
        guard requested == method.gateway else {
            throw PaymentError(
                .invalidArgument,
                "gateway '\(requested.rawValue)' does not match method '\(method.rawValue)'; "
                    + "use '\(method.gateway.rawValue)' or omit the gateway",
                details: ["field": "gateway", "method": method.rawValue, "gateway": requested.rawValue])
        }
        return requested
    }
}
