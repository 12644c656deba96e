import PaymentsDomain

/// The steps of each mutating call, shared by both stores and run inside one write transaction.
///
/// Each step runs the domain rules on rows the transaction has locked, then writes with a conditional
/// statement so the database enforces the same rule. Any throw rolls the whole transaction back, including
/// the idempotency claim.
enum PaymentWorkflow {
    static func register(
        _ command: RegisterPaymentCommand, idempotency: Idempotency?, nowMicros: Int64,
        in transaction: some PaymentTransaction
    ) throws -> Payment {
        if let replayed: Payment = try claim(idempotency, command.fingerprint, nowMicros, transaction) {
            return replayed
        }

        let (balance, ordinal) = try transaction.lockOrderForRegistration(
            orderID: command.orderID, currency: command.currency.code, totalMinorUnits: command.orderTotalMinorUnits,
            nowMicros: nowMicros)
        try balance.checkRegistration(
            amountMinorUnits: command.amountMinorUnits, currency: command.currency.code,
            requestedTotal: command.orderTotalMinorUnits)

        let payment = Payment(
            paymentID: RandomID.make(.payment), orderID: command.orderID, status: .pending,
            amountMinorUnits: command.amountMinorUnits, currency: command.currency.code, method: command.method,
            gateway: command.gateway, gatewayPaymentID: command.gatewayPaymentID, createdAtMicros: nowMicros)
        let event = PaymentEvent(describing: payment, type: .pending, at: nowMicros)
        try transaction.insertPayment(payment, ordinal: ordinal, event: event)

        try record(payment, idempotency, transaction)
        return payment
    }

    static func confirm(
        _ command: ConfirmPaymentCommand, idempotency: Idempotency?, nowMicros: Int64,
        in transaction: some PaymentTransaction
    ) throws -> Payment {
        if let replayed: Payment = try claim(idempotency, command.fingerprint, nowMicros, transaction) {
            return replayed
        }

        var payment = try lockPayment(command.orderID, command.paymentID, transaction)
        var machine = payment.stateMachine
        guard case .moved(_, let status, _) = try machine.apply(.confirm) else {
            try record(payment, idempotency, transaction)
            return payment
        }

        payment.status = status
        payment.confirmedAtMicros = nowMicros
        let event = PaymentEvent(describing: payment, type: .succeeded, at: nowMicros)
        if try !transaction.capture(payment, event: event) {
            // The capture saw the order before a concurrent refund committed, or the order is really paid.
            // With the order row locked the answer is final: the rules throw, or the capture must apply.
            let balance = try transaction.lockOrder(orderID: command.orderID)
            try balance?.checkCapture(amountMinorUnits: payment.amountMinorUnits)
            guard try transaction.capture(payment, event: event) else {
                throw PaymentError(
                    .internal, "the database rejected capturing payment '\(payment.paymentID)' that the rules allowed")
            }
        }

        try record(payment, idempotency, transaction)
        return payment
    }

    static func fail(
        _ command: FailPaymentCommand, idempotency: Idempotency?, nowMicros: Int64,
        in transaction: some PaymentTransaction
    ) throws -> Payment {
        if let replayed: Payment = try claim(idempotency, command.fingerprint, nowMicros, transaction) {
            return replayed
        }

        var payment = try lockPayment(command.orderID, command.paymentID, transaction)
        var machine = payment.stateMachine
        guard case .moved(_, let status, _) = try machine.apply(.fail) else {
            throw PaymentError(.internal, "failing payment '\(payment.paymentID)' changed nothing")
        }

        payment.status = status
        payment.failureCode = command.failureCode
        payment.failureMessage = command.failureMessage
        payment.failedAtMicros = nowMicros
        let event = PaymentEvent(describing: payment, type: .failed, at: nowMicros)
        guard try transaction.markFailed(payment, event: event) else {
            throw PaymentError(.internal, "payment '\(payment.paymentID)' left pending while it was locked")
        }

        try record(payment, idempotency, transaction)
        return payment
    }

    static func refund(
        _ command: RefundPaymentCommand, idempotency: Idempotency?, nowMicros: Int64,
        in transaction: some PaymentTransaction
    ) throws -> RefundOutcome {
        if let replayed: RefundOutcome = try claim(idempotency, command.fingerprint, nowMicros, transaction) {
            return replayed
        }

        var payment = try lockPayment(command.orderID, command.paymentID, transaction)
        try command.checkCurrency(of: payment)
        var machine = payment.stateMachine
        let transition: PaymentStateMachine.Transition
        do {
            transition = try machine.apply(command.stateMachineCommand)
        } catch {
            throw error.inCurrency(payment.currency, paymentID: payment.paymentID)
        }
        guard case .moved(_, let status, let amount) = transition else {
            throw PaymentError(.internal, "refunding payment '\(payment.paymentID)' changed nothing")
        }

        let refund = Refund(
            refundID: RandomID.make(.refund), paymentID: payment.paymentID, orderID: payment.orderID,
            amountMinorUnits: amount, currency: payment.currency, reason: command.reason, createdAtMicros: nowMicros)
        payment.status = status
        payment.refundedMinorUnits = machine.refundedMinorUnits
        payment.refunds.append(refund)
        let event = PaymentEvent(describing: payment, type: .refunded, refund: refund, at: nowMicros)
        let ordinal = Int64(payment.refunds.count)
        guard try transaction.insertRefund(refund, ordinal: ordinal, payment: payment, event: event) else {
            throw PaymentError(
                .internal, "the database rejected a refund of payment '\(payment.paymentID)' that the rules allowed")
        }

        let outcome = RefundOutcome(payment: payment, refund: refund)
        try record(outcome, idempotency, transaction)
        return outcome
    }

    private static func lockPayment(_ orderID: String, _ paymentID: String, _ transaction: some PaymentTransaction)
        throws -> Payment
    {
        guard let payment = try transaction.lockPayment(orderID: orderID, paymentID: paymentID) else {
            throw PaymentError.paymentNotFound(orderID: orderID, paymentID: paymentID)
        }
        return payment
    }

    /// Claims the key for this call, or returns the response stored by the earlier call with the same request.
    private static func claim<Response: StoredResponse>(
        _ idempotency: Idempotency?, _ fingerprint: String, _ nowMicros: Int64, _ transaction: some PaymentTransaction
    ) throws -> Response? {
        guard let idempotency,
            let stored = try transaction.claim(idempotency, fingerprint: fingerprint, nowMicros: nowMicros)
        else {
            return nil
        }
        guard stored.fingerprint == fingerprint else {
            throw PaymentError(
                .idempotencyKeyReused,
                "idempotency key '\(idempotency.key)' was already used for a different request; "
                    + "use a new key for a new request",
                details: ["idempotency_key": idempotency.key])
        }
        guard let response = stored.response else {
            throw inProgress(idempotency)
        }
        do {
            return try Response.decodeStoredJSON(response)
        } catch {
            throw PaymentError(
                .internal, "the stored response of idempotency key '\(idempotency.key)' cannot be read",
                cause: String(describing: error))
        }
    }

    static func inProgress(_ idempotency: Idempotency) -> PaymentError {
        PaymentError(
            .idempotencyKeyInProgress,
            "a call with idempotency key '\(idempotency.key)' is still running; retry after it finishes",
            details: ["idempotency_key": idempotency.key])
    }

    private static func record(
        _ response: some StoredResponse, _ idempotency: Idempotency?, _ transaction: some PaymentTransaction
    )
        throws
    {
        guard let idempotency else {
            return
        }
        try transaction.recordResponse(idempotency, response: response.storedJSON)
    }
}
