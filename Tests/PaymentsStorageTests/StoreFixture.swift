import Foundation
import PaymentsDomain
import Testing

@testable import PaymentsStorage

/// The store implementations the conformance suite runs against.
///
/// PostgreSQL runs when `PAYMENTS_TEST_POSTGRES_URL` is set; with `PAYMENTS_REQUIRE_POSTGRES=1` and no URL
/// its cases still run and fail, so CI cannot skip them silently.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var enabled: [StoreKind] {
        let environment = ProcessInfo.processInfo.environment
        let hasURL = !(environment["PAYMENTS_TEST_POSTGRES_URL"] ?? "").isEmpty
        let required = environment["PAYMENTS_REQUIRE_POSTGRES"] == "1"
        return hasURL || required ? [.sqlite, .postgres] : [.sqlite]
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// Opens a fresh, empty store of `kind`, runs `body` and closes the store.
///
/// SQLite gets a new file in a temporary directory; PostgreSQL a new schema in the test database.
func withStore<T>(
    _ kind: StoreKind, poolSize: Int = 8, _ body: (any PaymentStore) async throws -> T
) async throws -> T {
    let location = try await StoreLocation.make(kind)
    defer { location.remove() }
    let store = try await location.open(poolSize: poolSize)
    do {
        let result = try await body(store)
        await store.close()
        return result
    } catch {
        await store.close()
        throw error
    }
}

/// Where a test store lives, so a test can open several stores on the same database.
struct StoreLocation: Sendable {
    var kind: StoreKind
    /// File path for SQLite, connection string for PostgreSQL.
    var address: String
    var directory: URL?
    /// PostgreSQL schema of the store, also its sessions' `application_name`.
    var schema: String?

    static func make(_ kind: StoreKind) async throws -> StoreLocation {
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "payments-store-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return StoreLocation(
                kind: kind, address: directory.appendingPathComponent("payments.sqlite").path, directory: directory)
        case .postgres:
            let url = ProcessInfo.processInfo.environment["PAYMENTS_TEST_POSTGRES_URL"] ?? ""
            guard !url.isEmpty else {
                throw FixtureError(
                    description: "PAYMENTS_REQUIRE_POSTGRES=1 but PAYMENTS_TEST_POSTGRES_URL is not set; "
                        + "start scripts/throwaway-postgres.sh and export its URI")
            }
            let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await PostgresAdmin.execute("CREATE SCHEMA \(schema)", connectionString: url)
            return StoreLocation(
                kind: kind, address: PostgresAdmin.withSearchPath(url, schema: schema), directory: nil, schema: schema)
        }
    }

    func open(poolSize: Int = 8) async throws -> any PaymentStore {
        switch kind {
        case .sqlite:
            try await SQLitePaymentStore(path: address)
        case .postgres:
            try await PostgresPaymentStore(connectionString: address, poolSize: poolSize)
        }
    }

    func remove() {
        if let directory {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}

/// Unique order id per call, so tests never share orders.
func newOrderID() -> String {
    "ord-" + UUID().uuidString.prefix(13).lowercased()
}

/// Registers and confirms a payment of `amount` on a new order.
func capturedPayment(
    _ store: any PaymentStore, amount: Int64, method: PaymentMethod = .cash, currency: String = "USD",
    orderID: String = newOrderID()
) async throws -> Payment {
    let register = try RegisterPaymentCommand(
        orderID: orderID, method: method, amountMinorUnits: amount, currencyCode: currency,
        gatewayPaymentID: method == .card ? "pi_test" : "")
    let payment = try await store.register(register, idempotency: nil)
    return try await store.confirm(
        try ConfirmPaymentCommand(orderID: orderID, paymentID: payment.paymentID), idempotency: nil)
}

func refund(_ store: any PaymentStore, _ payment: Payment, _ amount: Int64, key: String? = nil) async throws
    -> RefundOutcome
{
    let command = try RefundPaymentCommand(
        orderID: payment.orderID, paymentID: payment.paymentID, amount: .minorUnits(amount))
    return try await store.refund(command, idempotency: try key.map { try Idempotency(key: $0, scope: "test:refund") })
}

/// Returns the error code `body` throws, or nil when it succeeds.
func errorCode(_ body: () async throws -> Void) async -> PaymentErrorCode? {
    do {
        try await body()
        return nil
    } catch let error as PaymentError {
        return error.code
    } catch {
        return .internal
    }
}

/// Reads every event of `orderID` in the store, oldest first.
func allEvents(_ store: any PaymentStore, orderID: String) async throws -> [PaymentEvent] {
    try await settle(store)
    var events: [PaymentEvent] = []
    var position: Int64 = 0
    for _ in 0..<1000 {
        let batch = try await store.events(after: position, limit: 500, orderID: orderID, types: nil)
        guard let last = batch.last else {
            break
        }
        events += batch
        position = last.position
    }
    return events
}

/// Gives every committed event its position before a test reads the feed.
///
/// PostgreSQL assigns positions after commit on the sequencer thread; running it once here makes the read
/// deterministic. SQLite assigns them inside the writing transaction.
func settle(_ store: any PaymentStore) async throws {
    if let postgres = store as? PostgresPaymentStore {
        try await postgres.assignPositionsNow()
    }
}
