internal import PaymentsAuth
public import PaymentsDomain
internal import RPCMessages
public import RPCTransport

/// The one place where domain and auth errors become wire statuses.
extension PaymentError: RPCErrorConvertible {
    public var rpcError: RPCError {
        var details = self.details
        // Programs read minor units; people read the remainder as money in the currency's units.
        if let refundable = details["refundable_minor_units"].flatMap(Int64.init),
            let code = details["currency"], let currency = try? Currency(code: code)
        {
            details["refundable"] = "\(Money.format(refundable, currency: currency)) \(currency.code)"
        }
        return RPCError(
            code: Self.statusCode(for: code), message: message, domainCode: code.rawValue, details: details,
            isRetryable: isRetryable)
    }

    /// The canonical status of each domain code.
    static func statusCode(for code: PaymentErrorCode) -> StatusCode {
        switch code {
        case .paymentNotFound: .notFound
        case .invalidAmount, .invalidCurrency, .idempotencyKeyReused, .invalidArgument: .invalidArgument
        case .orderAlreadyPaid, .refundExceedsPayment, .invalidState, .currencyMismatch: .failedPrecondition
        case .idempotencyKeyInProgress: .aborted
        case .unauthenticated: .unauthenticated
        case .permissionDenied: .permissionDenied
        case .storeUnavailable: .unavailable
        case .eventsExpired: .outOfRange
        case .internal: .internal
        }
    }
}

extension AuthError {
    /// The wire status of an authentication or authorization failure; the message never contains the token.
    var rpcError: RPCError {
        switch code {
        case .permissionDenied:
            var details: [String: String] = [:]
            if let scope = missingScope {
                details["missing_scope"] = scope.rawValue
            }
            return RPCError(
                code: .permissionDenied, message: message, domainCode: "PERMISSION_DENIED", details: details)
        default:
            return RPCError(code: .unauthenticated, message: message, domainCode: "UNAUTHENTICATED")
        }
    }
}
