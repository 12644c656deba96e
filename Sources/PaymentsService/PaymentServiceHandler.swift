internal import PaymentsAuth
internal import PaymentsDomain
internal import PaymentsLogging
public import PaymentsMessages
public import PaymentsRPC
internal import PaymentsStorage
public import RPCTransport

/// The PaymentService RPCs: each call is authorized, validated into a domain command and run by the store.
public final class PaymentServiceHandler: PaymentServiceProvider {
    let store: any PaymentStore
    let authorizer: CallAuthorizer
    let logger: Logger
    let watchSettings: EventWatchSettings
    let health: HealthHandler
    /// At most one `store call failed` line a second for each error code and method.
    let storeFailureLog = LogThrottle(interval: .seconds(1))

    init(
        store: any PaymentStore, authorizer: CallAuthorizer, logger: Logger, watchSettings: EventWatchSettings,
        health: HealthHandler
    ) {
        self.store = store
        self.authorizer = authorizer
        self.logger = logger
        self.watchSettings = watchSettings
        self.health = health
    }

    public func registerPayment(_ request: RegisterPaymentRequest, context: ServerCallContext) async throws
        -> RegisterPaymentResponse
    {
        let principal = try authorizer.authorize(context, scope: .paymentsWrite)
        let payment = try await run(context) { () async throws in
            let command = try RegisterPaymentCommand(
                orderID: request.orderID, method: try MessageConversion.method(request.method),
                amountMinorUnits: request.amountMinorUnits, currencyCode: request.currency,
                gateway: try MessageConversion.gateway(request.gateway), gatewayPaymentID: request.gatewayPaymentID,
                orderTotalMinorUnits: request.orderTotalMinorUnits == 0 ? nil : request.orderTotalMinorUnits)
            return try await store.register(command, idempotency: try idempotency(context, principal))
        }
        return RegisterPaymentResponse(payment: MessageConversion.payment(payment))
    }

    public func confirmPayment(_ request: ConfirmPaymentRequest, context: ServerCallContext) async throws
        -> ConfirmPaymentResponse
    {
        let principal = try authorizer.authorize(context, scope: .paymentsWrite)
        let payment = try await run(context) { () async throws in
            let command = try ConfirmPaymentCommand(orderID: request.orderID, paymentID: request.paymentID)
            return try await store.confirm(command, idempotency: try idempotency(context, principal))
        }
        return ConfirmPaymentResponse(payment: MessageConversion.payment(payment))
    }

    public func failPayment(_ request: FailPaymentRequest, context: ServerCallContext) async throws
        -> FailPaymentResponse
    {
        let principal = try authorizer.authorize(context, scope: .paymentsWrite)
        let payment = try await run(context) { () async throws in
            let command = try FailPaymentCommand(
                orderID: request.orderID, paymentID: request.paymentID, failureCode: request.failureCode,
                failureMessage: request.failureMessage)
            return try await store.fail(command, idempotency: try idempotency(context, principal))
        }
        return FailPaymentResponse(payment: MessageConversion.payment(payment))
    }

    public func refundPayment(_ request: RefundPaymentRequest, context: ServerCallContext) async throws
        -> RefundPaymentResponse
    {
        let principal = try authorizer.authorize(context, scope: .paymentsRefund)
        let outcome = try await run(context) { () async throws in
            let amount = try Self.refundAmount(request)
            let command = try RefundPaymentCommand(
                orderID: request.orderID, paymentID: request.paymentID, amount: amount,
                currencyCode: request.currency, reason: request.reason)
            return try await store.refund(command, idempotency: try idempotency(context, principal))
        }
        return RefundPaymentResponse(
            payment: MessageConversion.payment(outcome.payment), refund: MessageConversion.refund(outcome.refund))
    }

    public func getPayment(_ request: GetPaymentRequest, context: ServerCallContext) async throws
        -> GetPaymentResponse
    {
        _ = try authorizer.authorize(context, scope: .paymentsRead)
        let payment = try await run(context) { () async throws in
            try Validation.checkOrderID(request.orderID)
            try Validation.checkPaymentID(request.paymentID)
            return try await store.payment(orderID: request.orderID, paymentID: request.paymentID)
        }
        return GetPaymentResponse(payment: MessageConversion.payment(payment))
    }

    public func listPayments(_ request: ListPaymentsRequest, context: ServerCallContext) async throws
        -> ListPaymentsResponse
    {
        _ = try authorizer.authorize(context, scope: .paymentsRead)
        let page = try await run(context) { () async throws in
            try Validation.checkOrderID(request.orderID)
            return try await store.listPayments(
                orderID: request.orderID, pageSize: Int(request.pageSize), pageToken: request.pageToken)
        }
        return ListPaymentsResponse(
            payments: page.payments.map(MessageConversion.payment), nextPageToken: page.nextPageToken,
            currency: page.balance?.currency ?? "", orderTotalMinorUnits: page.balance?.totalMinorUnits ?? 0,
            paidMinorUnits: page.balance?.paidMinorUnits ?? 0)
    }

    public func watchEvents(
        _ request: WatchEventsRequest, context: ServerCallContext, writer: RPCStreamWriter<Event>
    ) async throws {
        _ = try authorizer.authorize(context, scope: .eventsRead)
        let watch = try EventWatch(
            request: request, store: store, settings: watchSettings, logger: logger,
            isServing: { [health] in health.isServing })
        try await watch.run(context: context, writer: writer)
    }

    /// Refund amount: `refund_remainder` or a positive amount, never 0 meaning "everything".
    static func refundAmount(_ request: RefundPaymentRequest) throws(PaymentError) -> RefundPaymentCommand.Amount {
        if request.refundRemainder {
            guard request.amountMinorUnits == 0 else {
                throw PaymentError(
                    .invalidArgument,
                    "amount_minor_units is \(request.amountMinorUnits) but refund_remainder is set: send one of them",
                    details: ["field": "amount_minor_units"])
            }
            return .remainder
        }
        return .minorUnits(request.amountMinorUnits)
    }

    /// The call's idempotency scope: the caller's token name and the method, so callers never share keys.
    func idempotency(_ context: ServerCallContext, _ principal: Principal) throws(PaymentError) -> Idempotency? {
        guard !context.header.idempotencyKey.isEmpty else {
            return nil
        }
        return try Idempotency(key: context.header.idempotencyKey, scope: "\(principal.tokenName):\(context.method)")
    }

    /// Runs a store operation, logging failures that are not the caller's fault.
    func run<Result: Sendable>(_ context: ServerCallContext, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as PaymentError {
            if error.code == .storeUnavailable || error.code == .internal,
                let heldBack = storeFailureLog.admit(error.code.rawValue + " " + context.method)
            {
                var metadata: Logger.Metadata = [
                    "rpc.method": context.method, "error.code": error.code.rawValue, "error": error.description,
                ]
                if !context.header.requestID.isEmpty {
                    metadata["request.id"] = context.header.requestID
                }
                if heldBack > 0 {
                    metadata["log.held_back"] = String(heldBack)
                }
                logger.error("store call failed", metadata: metadata)
            }
            throw error
        }
    }
}
