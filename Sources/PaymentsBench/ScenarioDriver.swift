import PaymentsMessages
import PaymentsRPC
import RPCMessages
import RPCTransport
import Synchronization

/// Runs the RPCs of each scenario over a fixed set of connections and turns their ends into outcomes.
///
/// Order ids are `<run id>-<sequence>`, unique within the run and, through the random run id, across
/// runs on one database. Mutating calls get a fresh idempotency key from the generated client stubs.
final class ScenarioDriver: Sendable {
    /// A confirmed payment that refunds draw on.
    struct PaymentReference: Sendable {
        var orderID: String
        var paymentID: String
    }

    /// Amount of each payment set up for refunds, so that 1-unit refunds never exhaust it.
    static let refundablePaymentMinorUnits: Int64 = 1_000_000_000

    let configuration: BenchConfiguration
    let clients: [RPCClient]
    private let payments: [PaymentServiceClient]
    private let health: [HealthClient]
    /// Loops started for this run and stopped by ``close()``, empty when every client uses the shared loop.
    private let ownLoops: [ClientEventLoop]
    private let nextSequence = SharedCounter()
    private let nextRefund = SharedCounter()
    private let nextList = SharedCounter()
    private let refundTargets: Mutex<[PaymentReference]> = Mutex([])
    private let listOrderIDs: Mutex<[String]> = Mutex([])

    /// Creates a client per connection. With more than one thread, starts a client event loop per thread and
    /// puts connection `i` on loop `i % threads`.
    ///
    /// - Throws: `RPCTransportError` when a loop cannot start.
    init(configuration: BenchConfiguration) throws(RPCTransportError) {
        self.configuration = configuration
        var loops: [ClientEventLoop] = []
        if configuration.threads > 1 {
            for index in 0..<configuration.threads {
                do throws(RPCTransportError) {
                    loops.append(try ClientEventLoop(name: "bench-loop-\(index)"))
                } catch {
                    for loop in loops {
                        loop.stop()
                    }
                    throw error
                }
            }
        }
        ownLoops = loops

        var defaultOptions = CallOptions()
        defaultOptions.authorization = configuration.authorization
        clients = (0..<configuration.connections).map { index in
            RPCClient(
                configuration: RPCClientConfiguration(
                    host: configuration.serverHost, port: configuration.serverPort,
                    retryPolicy: RetryPolicy(maxAttempts: 1), defaultOptions: defaultOptions,
                    eventLoop: loops.isEmpty ? .shared : loops[index % loops.count]))
        }
        payments = clients.map { PaymentServiceClient(client: $0) }
        health = clients.map { HealthClient(client: $0) }
    }

    /// Returns the executor of the loop that serves connection `connection % connections`.
    func executor(forConnection connection: Int) -> any TaskExecutor {
        clients[connection % clients.count].eventLoopExecutor
    }

    /// Returns the lowest limit of open calls per connection that the server announced on the connections.
    ///
    /// Nil when no connection has it yet, or when the server announced none.
    func serverCallLimit() -> Int? {
        clients.compactMap(\.serverMaxConcurrentCalls).min()
    }

    /// Closes every connection and stops the loops started for this run.
    func close() async {
        for client in clients {
            await client.close()
        }
        for loop in ownLoops {
            loop.stop()
        }
    }

    /// Performs one operation of `scenario` on connection `connection` and returns how it ended.
    ///
    /// `ran` is the scenario that ran: for `mixed`, the one drawn from the mix.
    func perform(_ scenario: BenchScenario, connection: Int) async -> (ran: BenchScenario, outcome: CallOutcome) {
        if scenario == .mixed {
            let ticket = Int.random(in: 0..<configuration.mix.totalWeight)
            return await perform(configuration.mix.scenario(forTicket: ticket), connection: connection)
        }
        do {
            try await performThrowing(scenario, on: connection % clients.count)
            return (scenario, .succeeded)
        } catch let error as RPCError {
            return (scenario, Self.outcome(of: error))
        } catch {
            return (scenario, .failed(status: "UNKNOWN", domainCode: ""))
        }
    }

    /// Performs one unmeasured operation of each scenario the run uses and returns the first RPC error.
    ///
    /// Returns nil when every probe succeeded or failed with an error other than an RPC error.
    func probe(_ scenarios: Set<BenchScenario>) async -> RPCError? {
        for scenario in scenarios.sorted(by: { $0.rawValue < $1.rawValue }) where scenario != .mixed {
            do {
                try await performThrowing(scenario, on: 0)
            } catch let error as RPCError {
                return error
            } catch {
                continue
            }
        }
        return nil
    }

    private func performThrowing(_ scenario: BenchScenario, on index: Int) async throws {
        switch scenario {
        case .mixed, .health:
            _ = try await health[index].check(HealthCheckRequest(), options: callOptions)
        case .register:
            _ = try await register(on: index, amount: configuration.amountMinorUnits)
        case .registerConfirm:
            let payment = try await register(on: index, amount: configuration.amountMinorUnits)
            _ = try await confirm(payment, on: index)
        case .refund:
            let target = refundTargets.withLock { targets in
                targets[nextRefund.add(1) % targets.count]
            }
            let request = RefundPaymentRequest(
                orderID: target.orderID, paymentID: target.paymentID, amountMinorUnits: 1, reason: "bench")
            _ = try await payments[index].refundPayment(request, options: callOptions)
        case .list:
            let orderID = listOrderIDs.withLock { orders in
                orders[nextList.add(1) % orders.count]
            }
            _ = try await payments[index].listPayments(
                ListPaymentsRequest(orderID: orderID, pageSize: 50), options: callOptions)
        }
    }

    /// Describes `error` as `STATUS: message`, with the domain code after the status only when it differs
    /// from the status name, so that UNAUTHENTICATED is not printed twice.
    static func describe(_ error: RPCError) -> String {
        let status = error.code.protoName
        let label = error.domainCode.isEmpty || error.domainCode == status ? status : "\(status) \(error.domainCode)"
        return "\(label): \(error.message)"
    }

    static func outcome(of error: RPCError) -> CallOutcome {
        if error.code == .deadlineExceeded {
            return .timedOut
        }
        return .failed(status: error.code.protoName, domainCode: error.domainCode)
    }

    private var text: BenchText {
        BenchText(language: configuration.language)
    }

    private var callOptions: CallOptions {
        CallOptions(timeout: configuration.timeout)
    }

    /// Registers a pending cash payment of a new order and returns it.
    func register(on index: Int, amount: Int64) async throws -> PaymentReference {
        let orderID = "\(configuration.runID)-\(nextSequence.add(1))"
        return try await register(orderID: orderID, on: index, amount: amount)
    }

    private func register(orderID: String, on index: Int, amount: Int64) async throws -> PaymentReference {
        let request = RegisterPaymentRequest(
            orderID: orderID, method: .cash, amountMinorUnits: amount, currency: configuration.currency)
        let response = try await payments[index].registerPayment(request, options: callOptions)
        guard let paymentID = response.payment?.paymentID, !paymentID.isEmpty else {
            throw RPCError(code: .internal, message: "RegisterPayment returned no payment id")
        }
        return PaymentReference(orderID: orderID, paymentID: paymentID)
    }

    private func confirm(_ payment: PaymentReference, on index: Int) async throws {
        let request = ConfirmPaymentRequest(orderID: payment.orderID, paymentID: payment.paymentID)
        _ = try await payments[index].confirmPayment(request, options: callOptions)
    }

    /// Registers and confirms the payments that refunds draw on, and the orders that lists read.
    ///
    /// Runs before the warmup with up to 32 calls in flight. - Throws: `BenchError.setupFailed`
    /// with the first RPC error as `rpcError`.
    func prepare(for scenarios: Set<BenchScenario>) async throws(BenchError) {
        if scenarios.contains(.refund) {
            let what = text.paymentsToRefund(configuration.refundPayments)
            let targets = try await runSetup(count: configuration.refundPayments, what: what) {
                index, slot in
                let payment = try await self.register(on: slot, amount: Self.refundablePaymentMinorUnits)
                try await self.confirm(payment, on: slot)
                _ = index
                return payment
            }
            refundTargets.withLock { $0 = targets }
        }
        if scenarios.contains(.list) {
            let perOrder = configuration.paymentsPerListedOrder
            let orders = (0..<configuration.listOrders).map { "\(configuration.runID)-list-\($0)" }
            let what = text.ordersToList(orders.count, paymentsEach: perOrder)
            _ = try await runSetup(count: orders.count * perOrder, what: what) { index, slot in
                try await self.register(
                    orderID: orders[index / perOrder], on: slot, amount: self.configuration.amountMinorUnits)
            }
            listOrderIDs.withLock { $0 = orders }
        }
    }

    private func runSetup(
        count: Int, what: String,
        _ body: @escaping @Sendable (_ index: Int, _ slot: Int) async throws -> PaymentReference
    ) async throws(BenchError) -> [PaymentReference] {
        let next = SharedCounter()
        let workers = min(32, count)
        let slots = clients.count
        do {
            return try await withThrowingTaskGroup(of: [PaymentReference].self) { group in
                for worker in 0..<workers {
                    group.addTask {
                        var made: [PaymentReference] = []
                        while true {
                            let index = next.add(1)
                            guard index < count else {
                                return made
                            }
                            made.append(try await body(index, worker % slots))
                        }
                    }
                }
                var all: [PaymentReference] = []
                for try await made in group {
                    all.append(contentsOf: made)
                }
                return all
            }
        } catch let error as RPCError {
            throw BenchError(
                code: .setupFailed, message: text.setupFailed(what, status: error.code), cause: Self.describe(error),
                rpcError: error)
        } catch {
            throw BenchError(code: .setupFailed, message: text.setupFailed(what), cause: "\(error)")
        }
    }
}
