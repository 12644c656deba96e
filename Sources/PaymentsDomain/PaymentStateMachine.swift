/// The payment lifecycle as a value: feed it a ``Command`` and it returns the ``Transition`` or throws.
///
/// It holds only what the rules read (status, amount and refunded total), so stores run it inside their
/// transaction on the freshly locked row and then write the result with a compare-and-set on the old status.
public struct PaymentStateMachine: Sendable, Hashable {
    /// Something that may change a payment.
    public enum Command: Sendable, Hashable {
        case confirm
        case fail
        /// Refund this many minor units; must already be validated as above 0.
        case refund(amountMinorUnits: Int64)
        /// Refund whatever is left.
        case refundRemainder
    }

    /// What a command does to the payment.
    public enum Transition: Sendable, Hashable {
        /// The payment moves to `status`; `refundMinorUnits` is the refund to record, 0 for other commands.
        case moved(from: PaymentStatus, to: PaymentStatus, refundMinorUnits: Int64)
        /// Nothing changes and no event is written: confirming an already succeeded payment is a safe retry.
        case unchanged
    }

    public private(set) var status: PaymentStatus
    public let amountMinorUnits: Int64
    public private(set) var refundedMinorUnits: Int64

    public init(status: PaymentStatus, amountMinorUnits: Int64, refundedMinorUnits: Int64 = 0) {
        self.status = status
        self.amountMinorUnits = amountMinorUnits
        self.refundedMinorUnits = refundedMinorUnits
    }

    /// Minor units that may still be refunded; 0 unless the payment was captured.
    public var refundableMinorUnits: Int64 { status.isCaptured ? amountMinorUnits - refundedMinorUnits : 0 }

    /// Applies `command` and returns what changed.
    ///
    /// - Throws: ``PaymentError`` `INVALID_STATE` when the status does not allow the command, and
    ///   `REFUND_EXCEEDS_PAYMENT` with `refundable_minor_units` in the details when a refund is larger than
    ///   what is left. A fully refunded payment has 0 left, so any further refund, including a remainder
    ///   refund, is `REFUND_EXCEEDS_PAYMENT` rather than `INVALID_STATE`: the cap does not depend on how the
    ///   payment reached that state. The value is unchanged when it throws.
    public mutating func apply(_ command: Command) throws(PaymentError) -> Transition {
        let before = status
        switch (command, status) {
        case (.confirm, .pending):
            status = .succeeded
            return .moved(from: before, to: status, refundMinorUnits: 0)
        case (.confirm, .succeeded):
            return .unchanged
        case (.fail, .pending):
            status = .failed
            return .moved(from: before, to: status, refundMinorUnits: 0)
        case (.refund(let amount), .succeeded), (.refund(let amount), .partiallyRefunded),
            (.refund(let amount), .refunded):
            return try refund(amount)
        case (.refundRemainder, .succeeded), (.refundRemainder, .partiallyRefunded), (.refundRemainder, .refunded):
            guard refundableMinorUnits > 0 else {
                throw refundExceeds(requested: 0)
            }
            return try refund(refundableMinorUnits)
        default:
            throw invalidState(command)
        }
    }

    private mutating func refund(_ amount: Int64) throws(PaymentError) -> Transition {
        let refundable = refundableMinorUnits
        guard amount > 0 else {
            throw .invalidAmount("amount_minor_units", "must be above 0, got \(amount)")
        }
        guard amount <= refundable else {
            throw refundExceeds(requested: amount)
        }
        let before = status
        refundedMinorUnits += amount
        status = refundedMinorUnits == amountMinorUnits ? .refunded : .partiallyRefunded
        return .moved(from: before, to: status, refundMinorUnits: amount)
    }

    /// Returns the refund-cap error for a refund of `requested` minor units, 0 for a remainder when none is left.
    private func refundExceeds(requested: Int64) -> PaymentError {
        let refundable = refundableMinorUnits
        let message =
            refundable == 0
            ? "the payment is already fully refunded: nothing is left to refund"
            : "refund of \(requested) minor units exceeds the \(refundable) minor units left to refund; "
                + "refund at most \(refundable)"
        return PaymentError(
            .refundExceedsPayment, message,
            details: [
                "refundable_minor_units": String(refundable),
                "requested_minor_units": String(requested),
                "payment_amount_minor_units": String(amountMinorUnits),
                "refunded_minor_units": String(refundedMinorUnits),
            ])
    }

    private func invalidState(_ command: Command) -> PaymentError {
        let (verb, allowed): (String, String) =
            switch command {
            case .confirm: ("confirmed", "pending")
            case .fail: ("failed", "pending")
            case .refund, .refundRemainder: ("refunded", "succeeded or partially_refunded")
            }
        return PaymentError(
            .invalidState,
            "a \(status.rawValue) payment cannot be \(verb); only a \(allowed) payment can",
            details: ["status": status.rawValue])
    }
}
