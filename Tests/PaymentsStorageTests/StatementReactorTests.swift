import Foundation
import PaymentsDomain
import Synchronization
import Testing

@testable import PaymentsStorage

/// A statement reactor that is also a task executor, as the server's event loops are: a task that prefers it
/// runs on its thread, so the store sends that task's statements there.
private final class ReactorExecutor: StatementReactor, TaskExecutor, @unchecked Sendable {
    let thread: StatementThread

    init() throws {
        thread = try StatementThread(name: "test-reactor")
    }

    var isCurrent: Bool { thread.isCurrent }

    func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        thread.execute(work)
    }

    func executeAtEndOfTurn(_ work: @escaping () -> Void) {
        thread.executeAtEndOfTurn(work)
    }

    func watch(_ descriptor: Int32, handler: @escaping (_ writable: Bool) -> Void) throws {
        thread.watch(descriptor, handler: handler)
    }

    func setWritable(_ writable: Bool, for descriptor: Int32) {
        thread.setWritable(writable, for: descriptor)
    }

    func unwatch(_ descriptor: Int32) {
        thread.unwatch(descriptor)
    }

    func whenStopped(_ work: @escaping @Sendable () -> Void) {
        thread.whenStopped(work)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        // After the thread stopped, the job runs on the global executor, so its task still ends.
        if !thread.execute({ job.runSynchronously(on: executor) }) {
            globalConcurrentExecutor.enqueue(ExecutorJob(job))
        }
    }
}

/// A PostgreSQL session of the test's own, used by one task at a time, such as to hold a row lock.
private final class TestSession: @unchecked Sendable {
    private let connection: PostgresConnection

    private init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Connects on a thread outside Swift's task pool, because libpq blocks.
    static func open(_ connectionString: String) async throws -> TestSession {
        try await Task.detached { TestSession(connection: try PostgresConnection(connectionString: connectionString)) }
            .value
    }

    func execute(_ sql: String) async throws {
        try await Task.detached { [self] in try connection.execute(sql) }.value
    }

    func count(_ sql: String) async throws -> Int {
        try await Task.detached { [self] in
            Int(try connection.query(sql, []).first?.integer(0) ?? 0)
        }.value
    }
}

@Suite("PostgreSQL statements on an attached reactor")
struct StatementReactorTests {
    static var enabled: [StoreKind] { StoreKind.enabled.filter { $0 == .postgres } }

    /// Opens a PostgreSQL store whose statements run on `reactor` when asked there.
    private func openStore(_ location: StoreLocation, reactor: ReactorExecutor, poolSize: Int = 4) async throws
        -> PostgresPaymentStore
    {
        let store = try #require(try await location.open(poolSize: poolSize) as? PostgresPaymentStore)
        store.runStatements(on: [reactor])
        return store
    }

    /// Waits up to about 5 s until a session of `schema` waits for a lock, and returns whether one did.
    private func waitForLockWait(schema: String, connectionString: String) async throws -> Bool {
        let probe = try await TestSession.open(connectionString)
        for _ in 0..<250 {
            if try await probe.count(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(schema)' AND wait_event_type = 'Lock'"
            ) > 0 {
                return true
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test("statements asked on the reactor run there", arguments: enabled)
    func statementsRunOnReactor(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        let reactor = try ReactorExecutor()
        let store = try await openStore(location, reactor: reactor)

        let onReactor = try await Task(executorPreference: reactor) {
            try await capturedPayment(store, amount: 500)
        }.value
        let sentOnReactor = store.statements.statementsSent
        let elsewhere = try await Task.detached { try await capturedPayment(store, amount: 700) }.value
        let sentAfterwards = store.statements.statementsSent
        await store.close()
        await reactor.thread.stop()

        #expect(onReactor.status == .succeeded)
        #expect(elsewhere.status == .succeeded)
        // Register and confirm are one statement each.
        #expect(sentOnReactor.reactors == 2)
        #expect(sentOnReactor.ownThread == 0)
        // A statement asked elsewhere goes to the running reactor too.
        #expect(sentAfterwards.reactors == 4)
        #expect(sentAfterwards.ownThread == 0)
    }

    @Test("concurrent confirms on the reactor pay once", arguments: enabled)
    func concurrentConfirmsPayOnce(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        let reactor = try ReactorExecutor()
        let store = try await openStore(location, reactor: reactor, poolSize: 8)
        let orderID = newOrderID()
        var ids: [String] = []
        for _ in 0..<8 {
            let payment = try await store.register(
                try RegisterPaymentCommand(orderID: orderID, method: .cash, amountMinorUnits: 400, currencyCode: "USD"),
                idempotency: nil)
            ids.append(payment.paymentID)
        }

        let codes = await withTaskGroup(of: PaymentErrorCode?.self) { group in
            for id in ids {
                group.addTask(executorPreference: reactor) {
                    await errorCode {
                        _ = try await store.confirm(
                            try ConfirmPaymentCommand(orderID: orderID, paymentID: id), idempotency: nil)
                    }
                }
            }
            return await group.reduce(into: [PaymentErrorCode?]()) { $0.append($1) }
        }
        let page = try await store.listPayments(orderID: orderID, pageSize: 50, pageToken: "")
        let sent = store.statements.statementsSent
        await store.close()
        await reactor.thread.stop()

        #expect(codes.filter { $0 == nil }.count == 1)
        #expect(codes.filter { $0 == .orderAlreadyPaid }.count == 7)
        #expect(page.payments.filter { $0.status == .succeeded }.count == 1)
        #expect(page.balance?.paidMinorUnits == 400)
        #expect(sent.reactors >= 16)
    }

    @Test("reactor connections reopen after sessions end", arguments: enabled)
    func reconnectsAfterSessionsEnd(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        let reactor = try ReactorExecutor()
        let store = try await openStore(location, reactor: reactor, poolSize: 2)
        let onReactor = { @Sendable (amount: Int64) async throws -> Payment in
            try await Task(executorPreference: reactor) { try await capturedPayment(store, amount: amount) }.value
        }
        _ = try await onReactor(500)
        let url = ProcessInfo.processInfo.environment["PAYMENTS_TEST_POSTGRES_URL"] ?? ""

        let ended = try await PostgresAdmin.terminateSessions(of: try #require(location.schema), connectionString: url)
        let left = try await PostgresAdmin.waitForSessionsToEnd(ended, connectionString: url)
        // The reactor learns of an ended session when its socket reports the close, or when a statement fails.
        let firstAttempt = await errorCode { _ = try await onReactor(300) }
        let payment = try await onReactor(300)
        let concurrent = try await withThrowingTaskGroup(of: Payment.self) { group in
            for _ in 0..<6 {
                group.addTask(executorPreference: reactor) { try await capturedPayment(store, amount: 200) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await store.close()
        await reactor.thread.stop()

        #expect(left == 0)
        #expect(firstAttempt == nil || firstAttempt == .storeUnavailable)
        #expect(payment.status == .succeeded)
        #expect(concurrent.count == 6)
        #expect(concurrent.allSatisfy { $0.status == .succeeded })
    }

    /// A store on a reactor, and a confirm sent there that waits for a row lock held by another session.
    private struct BlockedConfirm {
        let store: PostgresPaymentStore
        let reactor: ReactorExecutor
        let locker: TestSession
        /// The confirm's error code, nil when it succeeded.
        let outcome: Task<PaymentErrorCode?, Never>
        /// Whether the confirm's statement was seen waiting for the lock.
        let waited: Bool
        let paymentID: String
    }

    /// Registers a payment, locks its order in another session, and starts confirming it on the reactor.
    private func confirmBlockedOnLock(_ kind: StoreKind) async throws -> BlockedConfirm {
        let location = try await StoreLocation.make(kind)
        let reactor = try ReactorExecutor()
        let store = try await openStore(location, reactor: reactor)
        let orderID = newOrderID()
        let pending = try await store.register(
            try RegisterPaymentCommand(orderID: orderID, method: .cash, amountMinorUnits: 900, currencyCode: "USD"),
            idempotency: nil)
        let locker = try await TestSession.open(location.address)
        try await locker.execute("BEGIN")
        try await locker.execute("SELECT 1 FROM orders WHERE order_id = '\(orderID)' FOR UPDATE")

        let outcome = Task(executorPreference: reactor) {
            await errorCode {
                _ = try await store.confirm(
                    try ConfirmPaymentCommand(orderID: orderID, paymentID: pending.paymentID), idempotency: nil)
            }
        }
        let waited = try await waitForLockWait(
            schema: try #require(location.schema), connectionString: location.address)
        return BlockedConfirm(
            store: store, reactor: reactor, locker: locker, outcome: outcome, waited: waited,
            paymentID: pending.paymentID)
    }

    @Test("close waits for a statement in flight", .timeLimit(.minutes(1)), arguments: enabled)
    func closeWaitsForStatement(kind: StoreKind) async throws {
        let blocked = try await confirmBlockedOnLock(kind)

        let close = Task { await blocked.store.close() }
        try await blocked.locker.execute("ROLLBACK")
        let code = await blocked.outcome.value
        await close.value
        await blocked.reactor.thread.stop()

        #expect(blocked.waited)
        #expect(code == nil)
    }

    @Test("reactor stop during close ends it", .timeLimit(.minutes(1)), arguments: enabled)
    func reactorStopDuringClose(kind: StoreKind) async throws {
        let blocked = try await confirmBlockedOnLock(kind)

        let close = Task { await blocked.store.close() }
        // The close waits for the statement, which waits for the lock, until the reactor stops.
        try await Task.sleep(for: .milliseconds(200))
        await blocked.reactor.thread.stop()
        await close.value
        let code = await blocked.outcome.value
        try await blocked.locker.execute("ROLLBACK")

        #expect(blocked.waited)
        #expect(code == .storeUnavailable)
    }

    @Test("reactor stop fails its statement", .timeLimit(.minutes(1)), arguments: enabled)
    func reactorStopFailsStatement(kind: StoreKind) async throws {
        let blocked = try await confirmBlockedOnLock(kind)

        await blocked.reactor.thread.stop()
        let code = await blocked.outcome.value
        try await blocked.locker.execute("ROLLBACK")
        // Without the cancel, the confirm would take the released lock and commit now.
        try await Task.sleep(for: .milliseconds(300))
        let pending = try await blocked.locker.count(
            "SELECT count(*) FROM payments WHERE payment_id = '\(blocked.paymentID)' AND status = 'pending'")
        await blocked.store.close()

        #expect(blocked.waited)
        #expect(code == .storeUnavailable)
        #expect(pending == 1)
    }

    @Test("close fails a statement left on a stopped reactor", .timeLimit(.minutes(1)), arguments: enabled)
    func closeFailsStatementOfStoppedReactor(kind: StoreKind) async throws {
        let blocked = try await confirmBlockedOnLock(kind)

        await blocked.reactor.thread.stop()
        await blocked.store.close()
        let code = await blocked.outcome.value
        try await blocked.locker.execute("ROLLBACK")

        #expect(blocked.waited)
        #expect(code == .storeUnavailable)
    }
}
