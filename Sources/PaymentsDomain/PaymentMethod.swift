/// How the customer pays; each method goes through exactly one ``Gateway``.
public enum PaymentMethod: String, Sendable, Hashable, CaseIterable, Codable {
    case card
    case cash
    case bankTransfer = "bank_transfer"
    case customerCredit = "customer_credit"

    /// The only gateway this method may use.
    public var gateway: Gateway {
        switch self {
        case .card: .stripe
        case .cash: .pos
        case .bankTransfer: .manual
        case .customerCredit: .internal
        }
    }

    /// Whether a payment with this method needs the gateway's own payment id.
    public var requiresGatewayPaymentID: Bool { self == .card }

    /// Parses a raw value such as `bank_transfer`.
    ///
    /// - Throws: ``PaymentError`` `INVALID_ARGUMENT` naming the value and the accepted ones.
    public init(parsing text: String) throws(PaymentError) {
        guard let method = PaymentMethod(rawValue: text) else {
            let accepted = PaymentMethod.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidArgument("method", "'\(text.prefix(32))' is not a payment method; use one of \(accepted)")
        }
        self = method
    }
}
