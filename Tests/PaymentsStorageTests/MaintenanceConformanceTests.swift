import Foundation
import PaymentsDomain
import Testing

@testable import PaymentsStorage

@Suite("Store conformance: maintenance and processes")
struct MaintenanceConformanceTests {
    /// Purges with an internal clock, because waiting a day in a test is not an option.
    private func purge(_ store: any PaymentStore, events: Duration, keys: Duration, at nowMicros: Int64) async throws
        -> PurgeSummary
    {
        if let sqlite = store as? SQLitePaymentStore {
            return try await sqlite.purge(eventRetention: events, idempotencyKeyRetention: keys, nowMicros: nowMicros)
        }
        let postgres = try #require(store as? PostgresPaymentStore)
        return try await postgres.purge(eventRetention: events, idempotencyKeyRetention: keys, nowMicros: nowMicros)
    }

    @Test("purge keeps positions moving forward", arguments: StoreKind.enabled)
    func purgeEvents(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 100)
            try await settle(store)
            let lastBefore = try await store.lastPosition()

            let summary = try await purge(store, events: .zero, keys: .zero, at: Timestamp.nowMicros() + 1)
            let oldestAfterPurge = try await store.oldestRetainedPosition()
            _ = try await refund(store, payment, 10)
            try await settle(store)
            let events = try await store.events(after: 0, limit: 10, orderID: nil, types: nil)

            #expect(summary.deletedEvents == 2)
            #expect(oldestAfterPurge == nil)
            #expect(try await store.lastPosition() == lastBefore + 1)
            #expect(events.map(\.position) == [lastBefore + 1])
            #expect(try await store.oldestRetainedPosition() == lastBefore + 1)
        }
    }

    @Test("idempotency keys live at least a day", arguments: StoreKind.enabled)
    func keyRetention(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 100)
            let first = try await refund(store, payment, 10, key: "kept")
            let hour: Int64 = 3_600_000_000

            let early = try await purge(
                store, events: .seconds(3600), keys: .zero, at: Timestamp.nowMicros() + 23 * hour)
            let replayed = try await refund(store, payment, 10, key: "kept")
            let late = try await purge(
                store, events: .seconds(3600), keys: .zero, at: Timestamp.nowMicros() + 25 * hour)

            #expect(early.deletedIdempotencyKeys == 0)
            #expect(replayed == first)
            #expect(late.deletedIdempotencyKeys == 1)
        }
    }

    @Test("two stores share one database", arguments: StoreKind.enabled)
    func twoStores(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        defer { location.remove() }
        // Both open at once, so both run the migrations concurrently.
        async let openedFirst = location.open(poolSize: 11)
        async let openedSecond = location.open(poolSize: 11)
        let stores = try await [openedFirst, openedSecond]

        let payment = try await capturedPayment(stores[0], amount: 10000)
        let codes = await withTaskGroup(of: PaymentErrorCode?.self) { group in
            for index in 0..<20 {
                let store = stores[index % 2]
                group.addTask { await errorCode { _ = try await refund(store, payment, 6000) } }
            }
            return await group.reduce(into: [PaymentErrorCode?]()) { $0.append($1) }
        }
        let seenBySecond = try await stores[1].payment(orderID: payment.orderID, paymentID: payment.paymentID)
        for store in stores {
            await store.close()
        }

        #expect(codes.filter { $0 == nil }.count == 1)
        #expect(codes.filter { $0 == .refundExceedsPayment }.count == 19)
        #expect(seenBySecond.refundedMinorUnits == 6000)
    }

    @Test("other store's writes wake watchers", arguments: StoreKind.enabled)
    func crossStoreSignal(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        defer { location.remove() }
        let writer = try await location.open()
        let watcher = try await location.open()
        let wakeUps = watcher.newEventsSignal()

        let waiting = Task { () -> Bool in
            for await _ in wakeUps {
                return true
            }
            return false
        }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(30))
            waiting.cancel()
        }
        _ = try await capturedPayment(writer, amount: 100)
        let woke = await waiting.value
        watchdog.cancel()
        let seen = try await watcher.events(after: 0, limit: 10, orderID: nil, types: nil)
        await writer.close()
        await watcher.close()

        #expect(woke)
        #expect(!seen.isEmpty)
    }

    @Test("reopened store keeps its data", arguments: StoreKind.enabled)
    func reopen(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        defer { location.remove() }
        let first = try await location.open()
        let payment = try await capturedPayment(first, amount: 4200, currency: "JPY")
        await first.close()

        let second = try await location.open()
        let stored = try await second.payment(orderID: payment.orderID, paymentID: payment.paymentID)
        let afterClose = await errorCode {
            _ = try await first.payment(orderID: payment.orderID, paymentID: payment.paymentID)
        }
        await second.close()

        #expect(stored == payment)
        #expect(afterClose == .storeUnavailable)
    }

    @Test("factory rejects unknown URLs without echoing them")
    func factoryRejects() async {
        await #expect {
            _ = try await PaymentStores.open(url: "mysql://user:secret@host/db")
        } throws: { error in
            let error = error as? PaymentError
            return error?.code == .invalidArgument && error?.message.contains("secret") == false
        }
        let missingPath = await errorCode { _ = try await PaymentStores.open(url: "sqlite:") }
        #expect(missingPath == .invalidArgument)
    }

    @Test("factory opens a SQLite file")
    func factorySQLite() async throws {
        let location = try await StoreLocation.make(.sqlite)
        defer { location.remove() }

        let store = try await PaymentStores.open(url: "sqlite:" + location.address)
        let payment = try await capturedPayment(store, amount: 1)
        await store.close()

        #expect(payment.status == .succeeded)
    }

    @Test("unwritable SQLite path is unavailable")
    func sqliteBadPath() async {
        let code = await errorCode { _ = try await SQLitePaymentStore(path: "/nonexistent-dir/payments.sqlite") }

        #expect(code == .storeUnavailable)
    }
}

@Suite("PostgreSQL store failures")
struct PostgresFailureTests {
    static var enabled: [StoreKind] { StoreKind.enabled.filter { $0 == .postgres } }

    @Test("lost connection is retryable", arguments: enabled)
    func lostConnection(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        let store = try await location.open(poolSize: 1)
        let payment = try await capturedPayment(store, amount: 500)
        let url = ProcessInfo.processInfo.environment["PAYMENTS_TEST_POSTGRES_URL"] ?? ""

        try await PostgresAdmin.terminateSessions(of: try #require(location.schema), connectionString: url)
        let lost = await errorCode {
            _ = try await store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
        }
        let recovered = try await store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
        let refunded = try await refund(store, payment, 100)
        await store.close()

        // A pool thread that finds the session ended before the call reconnects first. Otherwise the call goes
        // out on the lost session and fails as retryable.
        #expect(lost == nil || lost == .storeUnavailable)
        #expect(PaymentErrorCode.storeUnavailable.isRetryable)
        #expect(recovered == payment)
        #expect(refunded.payment.refundedMinorUnits == 100)
    }

    @Test("pool replaces ended sessions before reuse", arguments: enabled)
    func poolReplacesEndedSessions(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        let store = try await location.open(poolSize: 2)
        let payment = try await capturedPayment(store, amount: 500)
        // Two reads at once open both pool connections.
        async let first = store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
        async let second = store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
        _ = try await (first, second)
        let url = ProcessInfo.processInfo.environment["PAYMENTS_TEST_POSTGRES_URL"] ?? ""
        let schema = try #require(location.schema)

        let ended = try await PostgresAdmin.terminateSessions(of: schema, connectionString: url)
        let left = try await PostgresAdmin.waitForSessionsToEnd(ended, connectionString: url)
        var failures: [PaymentErrorCode] = []
        for _ in 0..<4 {
            if let code = await errorCode({
                _ = try await store.payment(orderID: payment.orderID, paymentID: payment.paymentID)
            }) {
                failures.append(code)
            }
        }
        let refunded = try await refund(store, payment, 100)
        await store.close()

        #expect(left == 0)
        #expect(failures.isEmpty)
        #expect(refunded.payment.refundedMinorUnits == 100)
    }

    @Test("fast path reconnects after lost connections", arguments: enabled)
    func fastPathReconnects(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        let store = try await location.open(poolSize: 2)
        // Opens the statement loop's connections, which register and confirm use.
        _ = try await capturedPayment(store, amount: 500)
        let url = ProcessInfo.processInfo.environment["PAYMENTS_TEST_POSTGRES_URL"] ?? ""

        try await PostgresAdmin.terminateSessions(of: try #require(location.schema), connectionString: url)
        // A statement sent before the loop saw its connection end fails as retryable; the loop then reconnects.
        let firstAttempt = await errorCode { _ = try await capturedPayment(store, amount: 300) }
        let payment = try await capturedPayment(store, amount: 300)
        let concurrent = try await withThrowingTaskGroup(of: Payment.self) { group in
            for _ in 0..<8 {
                group.addTask { try await capturedPayment(store, amount: 200) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await store.close()

        #expect(firstAttempt == nil || firstAttempt == .storeUnavailable)
        #expect(payment.status == .succeeded)
        #expect(concurrent.count == 8)
        #expect(concurrent.allSatisfy { $0.status == .succeeded })
    }

    @Test("unreachable server is unavailable without the password", arguments: enabled)
    func unreachable(kind: StoreKind) async {
        await #expect {
            _ = try await PostgresPaymentStore(
                connectionString: "postgresql://payments:hunter2@127.0.0.1:1/payments?connect_timeout=2", poolSize: 1)
        } throws: { error in
            let error = error as? PaymentError
            return error?.code == .storeUnavailable && !(String(describing: error).contains("hunter2"))
        }
    }

    @Test("stuck key is in progress", arguments: enabled)
    func stuckKey(kind: StoreKind) async throws {
        let location = try await StoreLocation.make(kind)
        let store = try await location.open(poolSize: 2)
        let key = try Idempotency(key: "stuck", scope: "checkout:RegisterPayment")
        let command = try RegisterPaymentCommand(
            orderID: newOrderID(), method: .cash, amountMinorUnits: 100, currencyCode: "USD")
        let address = location.address

        // Another session claims the key and keeps its transaction open, as a call stuck mid-way would.
        // These few blocking calls run on the test's own task; the store's calls still use its threads.
        let holder = try PostgresConnection(connectionString: address)
        try holder.execute("BEGIN")
        try holder.query(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at_micros) VALUES ($1, $2, 'x', 0)",
            [.text(key.scope), .text(key.key)])
        let code = await errorCode { _ = try await store.register(command, idempotency: key) }
        try holder.execute("ROLLBACK")
        let afterRelease = try await store.register(command, idempotency: key)
        await store.close()

        #expect(code == .idempotencyKeyInProgress)
        #expect(PaymentErrorCode.idempotencyKeyInProgress.statusName == "ABORTED")
        #expect(afterRelease.status == .pending)
    }
}
