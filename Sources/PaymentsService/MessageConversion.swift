internal import PaymentsDomain
internal import PaymentsMessages

/// Conversions between the domain's values and the generated wire messages.
enum MessageConversion {
    static func method(_ method: PaymentsMessages.PaymentMethod) throws(PaymentError) -> PaymentsDomain.PaymentMethod {
        switch method {
        case .card: return .card
        case .cash: return .cash
        case .bankTransfer: return .bankTransfer
        case .customerCredit: return .customerCredit
        case .unspecified, .unrecognized:
            throw PaymentError(
                .invalidArgument,
                "method \(method.protoName) is not a payment method: use CARD, CASH, BANK_TRANSFER or CUSTOMER_CREDIT",
                details: ["field": "method"])
        }
    }

    static func method(_ method: PaymentsDomain.PaymentMethod) -> PaymentsMessages.PaymentMethod {
        switch method {
        case .card: .card
        case .cash: .cash
        case .bankTransfer: .bankTransfer
        case .customerCredit: .customerCredit
        }
    }

    /// Maps a wire gateway to the domain's; `GATEWAY_UNSPECIFIED` is nil, so the domain derives it.
    static func gateway(_ gateway: PaymentsMessages.Gateway) throws(PaymentError) -> PaymentsDomain.Gateway? {
        switch gateway {
        case .unspecified: return nil
        case .stripe: return .stripe
        case .pos: return .pos
        case .manual: return .manual
        case .internal: return .internal
        case .unrecognized(let value):
            throw PaymentError(
                .invalidArgument, "gateway \(value) is not a known gateway: use STRIPE, POS, MANUAL or INTERNAL, or leave it unset",
                details: ["field": "gateway"])
        }
    }

    static func gateway(_ gateway: PaymentsDomain.Gateway) -> PaymentsMessages.Gateway {
        switch gateway {
        case .stripe: .stripe
        case .pos: .pos
        case .manual: .manual
        case .internal: .internal
        }
    }

    static func status(_ status: PaymentsDomain.PaymentStatus) -> PaymentsMessages.PaymentStatus {
        switch status {
        case .pending: .pending
        case .succeeded: .succeeded
        case .failed: .failed
        case .partiallyRefunded: .partiallyRefunded
        case .refunded: .refunded
        }
    }

    static func refund(_ refund: PaymentsDomain.Refund) -> PaymentsMessages.Refund {
        PaymentsMessages.Refund(
            refundID: refund.refundID, paymentID: refund.paymentID, amountMinorUnits: refund.amountMinorUnits,
            currency: refund.currency, reason: refund.reason, createdAtUnixMicros: refund.createdAtMicros)
    }

    static func payment(_ payment: PaymentsDomain.Payment) -> PaymentsMessages.Payment {
        PaymentsMessages.Payment(
            paymentID: payment.paymentID, orderID: payment.orderID, status: status(payment.status),
            amountMinorUnits: payment.amountMinorUnits, currency: payment.currency, method: method(payment.method),
            gateway: gateway(payment.gateway), gatewayPaymentID: payment.gatewayPaymentID,
            refundedMinorUnits: payment.refundedMinorUnits, failureCode: payment.failureCode,
            failureMessage: payment.failureMessage, createdAtUnixMicros: payment.createdAtMicros,
            confirmedAtUnixMicros: payment.confirmedAtMicros, failedAtUnixMicros: payment.failedAtMicros,
            refunds: payment.refunds.map(refund))
    }

    static func event(_ event: PaymentEvent) -> Event {
        Event(
            eventID: event.eventID, type: event.type.rawValue, position: event.position,
            occurredAtUnixMicros: event.occurredAtMicros, orderID: event.orderID, paymentID: event.paymentID,
            status: status(event.status), amountMinorUnits: event.amountMinorUnits, currency: event.currency,
            refundID: event.refundID, refundAmountMinorUnits: event.refundAmountMinorUnits,
            refundedMinorUnits: event.refundedMinorUnits, failureCode: event.failureCode)
    }
}
