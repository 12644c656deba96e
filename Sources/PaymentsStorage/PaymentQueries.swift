import Foundation
import PaymentsDomain

/// Runs one SQL statement with `$1`-style parameters and returns its rows.
protocol QueryRunner {
    func query(_ sql: String, _ parameters: [DatabaseValue]) throws -> [DatabaseRow]
}

/// Reads shared by both stores; the SQL is plain enough for SQLite and PostgreSQL alike.
enum PaymentQueries {
    /// Reads one payment with its refunds for `PaymentStore.payment(orderID:paymentID:)`.
    ///
    /// - Throws: `INVALID_ARGUMENT` for a malformed id, `PAYMENT_NOT_FOUND` when the order has no such payment.
    static func existingPayment(orderID: String, paymentID: String, on runner: some QueryRunner) throws -> Payment {
        try Validation.checkOrderID(orderID)
        try Validation.checkPaymentID(paymentID)
        guard let found = try payment(orderID: orderID, paymentID: paymentID, on: runner) else {
            throw PaymentError.paymentNotFound(orderID: orderID, paymentID: paymentID)
        }
        return found
    }

    /// Reads a payment with its refunds. `locks` adds `FOR UPDATE`, which PostgreSQL needs and SQLite, whose
    /// writers are serialised anyway, does not support.
    static func payment(orderID: String, paymentID: String, locks: Bool = false, on runner: some QueryRunner)
        throws -> Payment?
    {
        let rows = try runner.query(
            locks ? paymentSQL.locking : paymentSQL.plain, [.text(orderID), .text(paymentID)])
        guard let row = rows.first else {
            return nil
        }
        var payment = try StoredColumns.decodePayment(row)
        if payment.refundedMinorUnits > 0 {
            // A new statement after the lock, so on PostgreSQL its snapshot includes every refund committed before it.
            payment.refunds = try runner.query(refundsSQL, [.text(orderID), .text(paymentID)])
                .map(StoredColumns.decodeRefund)
        }
        return payment
    }

    /// Reads an order's balance; `locks` adds `FOR UPDATE`, as for ``payment(orderID:paymentID:locks:on:)``.
    static func order(orderID: String, locks: Bool = false, on runner: some QueryRunner) throws -> OrderBalance? {
        let rows = try runner.query(locks ? orderSQL.locking : orderSQL.plain, [.text(orderID)])
        return try rows.first.map(StoredColumns.decodeOrder)
    }

    // Built once, so the stores find their prepared statements by the text's address (see StatementCache).
    private static let paymentSQL = withAndWithoutLock(
        "SELECT \(StoredColumns.payment) FROM payments WHERE order_id = $1 AND payment_id = $2")
    private static let orderSQL = withAndWithoutLock(
        "SELECT \(StoredColumns.order) FROM orders WHERE order_id = $1")
    private static let refundsSQL =
        "SELECT \(StoredColumns.refund) FROM refunds WHERE order_id = $1 AND payment_id = $2 ORDER BY ordinal"

    private static func withAndWithoutLock(_ sql: String) -> (plain: String, locking: String) {
        (sql, sql + " FOR UPDATE")
    }

    /// Default and maximum page sizes of ``listPayments(orderID:pageSize:pageToken:on:)``.
    static let defaultPageSize = 50
    static let maximumPageSize = 500

    static func listPayments(orderID: String, pageSize: Int, pageToken: String, on runner: some QueryRunner) throws
        -> PaymentPage
    {
        guard pageSize >= 0 else {
            throw PaymentError(
                .invalidArgument, "page_size \(pageSize) is negative; send 0 for the default of \(defaultPageSize)",
                details: ["field": "page_size"])
        }
        let limit = pageSize == 0 ? defaultPageSize : min(pageSize, maximumPageSize)
        let afterOrdinal = try PageToken.decode(pageToken)

        guard let balance = try order(orderID: orderID, on: runner) else {
            return PaymentPage(payments: [], nextPageToken: "", balance: nil)
        }
        let rows = try runner.query(
            """
            SELECT \(StoredColumns.payment), ordinal FROM payments
            WHERE order_id = $1 AND ordinal > $2 ORDER BY ordinal LIMIT $3
            """,
            [.text(orderID), .integer(afterOrdinal), .integer(Int64(limit + 1))])
        let pageRows = rows.prefix(limit)
        var payments = try pageRows.map(StoredColumns.decodePayment)

        let lastOrdinal = try pageRows.last?.integer(14) ?? afterOrdinal
        let refunds = try runner.query(
            """
            SELECT r.refund_id, r.payment_id, r.order_id, r.amount_minor_units, r.currency, r.reason, r.created_at_micros
            FROM refunds r JOIN payments p ON p.order_id = r.order_id AND p.payment_id = r.payment_id
            WHERE r.order_id = $1 AND p.ordinal > $2 AND p.ordinal <= $3 ORDER BY r.payment_id, r.ordinal
            """,
            [.text(orderID), .integer(afterOrdinal), .integer(lastOrdinal)]
        ).map(StoredColumns.decodeRefund)
        let refundsByPayment = Dictionary(grouping: refunds, by: \.paymentID)
        for index in payments.indices {
            payments[index].refunds = refundsByPayment[payments[index].paymentID] ?? []
        }

        let nextPageToken = rows.count > limit ? PageToken.encode(lastOrdinal) : ""
        return PaymentPage(payments: payments, nextPageToken: nextPageToken, balance: balance)
    }

    /// Largest `limit` of ``events(after:limit:orderID:types:on:)``.
    static let maximumEventBatch = 1000

    static func events(
        after position: Int64, limit: Int, orderID: String?, types: Set<PaymentEventType>?, on runner: some QueryRunner
    ) throws -> [PaymentEvent] {
        let wanted = (types?.isEmpty ?? true) ? Set(PaymentEventType.allCases) : types!
        // Always four type parameters, repeating one when fewer types are wanted, so the statement is prepared once.
        var typeValues = PaymentEventType.allCases.filter(wanted.contains).map { DatabaseValue.text($0.rawValue) }
        while typeValues.count < PaymentEventType.allCases.count {
            typeValues.append(typeValues[0])
        }
        let batch = Int64(max(1, min(limit, maximumEventBatch)))

        let sql: String
        var parameters: [DatabaseValue] = [.integer(position), .integer(batch)] + typeValues
        if let orderID {
            sql = """
                SELECT \(StoredColumns.event) FROM payment_events
                WHERE order_id = $7 AND position > $1 AND type IN ($3, $4, $5, $6) ORDER BY position LIMIT $2
                """
            parameters.append(.text(orderID))
        } else {
            sql = """
                SELECT \(StoredColumns.event) FROM payment_events
                WHERE position > $1 AND type IN ($3, $4, $5, $6) ORDER BY position LIMIT $2
                """
        }
        return try runner.query(sql, parameters).map(StoredColumns.decodeEvent)
    }

    static func lastPosition(on runner: some QueryRunner) throws -> Int64 {
        let rows = try runner.query("SELECT last_position FROM event_feed", [])
        return try rows.first?.integer(0) ?? 0
    }

    static func oldestRetainedPosition(on runner: some QueryRunner) throws -> Int64? {
        let rows = try runner.query("SELECT MIN(position) FROM payment_events", [])
        return try rows.first?.optionalInteger(0)
    }

    /// Minimum time idempotency keys are kept, whatever retention the caller asks for.
    static let minimumIdempotencyKeyRetention = Duration.seconds(24 * 60 * 60)

    /// Deletes old events and idempotency keys; events without a position yet are never deleted.
    static func purge(
        eventRetention: Duration, idempotencyKeyRetention: Duration, nowMicros: Int64, on runner: some QueryRunner
    ) throws -> PurgeSummary {
        let keyRetention = max(idempotencyKeyRetention, minimumIdempotencyKeyRetention)
        let events = try runner.query(
            "DELETE FROM payment_events WHERE occurred_at_micros < $1 AND position IS NOT NULL RETURNING 1",
            [.integer(nowMicros - microseconds(eventRetention))])
        let keys = try runner.query(
            "DELETE FROM idempotency_keys WHERE created_at_micros < $1 RETURNING 1",
            [.integer(nowMicros - microseconds(keyRetention))])
        return PurgeSummary(deletedEvents: events.count, deletedIdempotencyKeys: keys.count)
    }

    private static func microseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

/// Opaque `ListPayments` page tokens: the last listed payment's ordinal within its order, in base64url.
enum PageToken {
    static func encode(_ ordinal: Int64) -> String {
        Data("v1:\(ordinal)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ token: String) throws(PaymentError) -> Int64 {
        guard !token.isEmpty else {
            return 0
        }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.count <= 64, let data = Data(base64Encoded: base64),
            let text = String(data: data, encoding: .utf8), text.hasPrefix("v1:"),
            let ordinal = Int64(text.dropFirst(3)), ordinal >= 0
        else {
            throw PaymentError(
                .invalidArgument,
                "page_token is invalid; send the next_page_token of the previous page or leave it empty",
                details: ["field": "page_token"])
        }
        return ordinal
    }
}
