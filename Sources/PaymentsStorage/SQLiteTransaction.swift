import PaymentsDomain

extension SQLiteConnection: QueryRunner {}

/// The row operations of one SQLite write transaction.
///
/// The store runs every write transaction on its single writer thread with `BEGIN IMMEDIATE`, so writers are
/// serialised within the process and, through SQLite's write lock, across processes. The conditional updates
/// still check the rules in SQL, so the database never contains a state the rules forbid.
struct SQLiteTransaction: PaymentTransaction {
    let connection: SQLiteConnection
    /// Set when the transaction wrote an event, so the store wakes event watchers after commit.
    let wroteEvent: Flag

    final class Flag {
        var isSet = false
    }

    func claim(_ idempotency: Idempotency, fingerprint: String, nowMicros: Int64) throws -> StoredIdempotency? {
        let rows = try connection.query(
            "SELECT fingerprint, response FROM idempotency_keys WHERE scope = $1 AND key = $2",
            [.text(idempotency.scope), .text(idempotency.key)])
        if let row = rows.first {
            return StoredIdempotency(fingerprint: row.text(0), response: row.columns[1])
        }
        try connection.query(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at_micros) VALUES ($1, $2, $3, $4)",
            [.text(idempotency.scope), .text(idempotency.key), .text(fingerprint), .integer(nowMicros)])
        return nil
    }

    func recordResponse(_ idempotency: Idempotency, response: String) throws {
        try connection.query(
            "UPDATE idempotency_keys SET response = $3 WHERE scope = $1 AND key = $2",
            [.text(idempotency.scope), .text(idempotency.key), .text(response)])
    }

    func lockOrderForRegistration(orderID: String, currency: String, totalMinorUnits: Int64?, nowMicros: Int64)
        throws -> (balance: OrderBalance, ordinal: Int64)
    {
        let rows = try connection.query(
            SharedStatements.upsertOrder,
            [
                .text(orderID), .text(currency), .optional(totalMinorUnits), .integer(nowMicros),
            ])
        guard let row = rows.first else {
            throw PaymentError(.internal, "registering on order '\(orderID)' returned no order row")
        }
        return (try StoredColumns.decodeOrder(row), try row.integer(4))
    }

    func lockPayment(orderID: String, paymentID: String) throws -> Payment? {
        try PaymentQueries.payment(orderID: orderID, paymentID: paymentID, on: connection)
    }

    func lockOrder(orderID: String) throws -> OrderBalance? {
        try PaymentQueries.order(orderID: orderID, on: connection)
    }

    func insertPayment(_ payment: Payment, ordinal: Int64, event: PaymentEvent) throws {
        try connection.query(
            """
            INSERT INTO payments (order_id, payment_id, ordinal, status, amount_minor_units, currency, method, gateway,
                gateway_payment_id, created_at_micros)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            [
                .text(payment.orderID), .text(payment.paymentID), .integer(ordinal), .text(payment.status.rawValue),
                .integer(payment.amountMinorUnits), .text(payment.currency), .text(payment.method.rawValue),
                .text(payment.gateway.rawValue), .text(payment.gatewayPaymentID), .integer(payment.createdAtMicros),
            ])
        try insertEvent(event)
    }

    func capture(_ payment: Payment, event: PaymentEvent) throws -> Bool {
        try connection.query(
            SharedStatements.captureOrder, [.text(payment.orderID), .integer(payment.amountMinorUnits)])
        guard connection.changes == 1 else {
            return false
        }
        try connection.query(
            """
            UPDATE payments SET status = 'succeeded', confirmed_at_micros = $3
            WHERE order_id = $1 AND payment_id = $2 AND status = 'pending'
            """,
            [.text(payment.orderID), .text(payment.paymentID), .integer(payment.confirmedAtMicros)])
        try requireOneChange("confirming payment '\(payment.paymentID)'")
        try insertEvent(event)
        return true
    }

    func markFailed(_ payment: Payment, event: PaymentEvent) throws -> Bool {
        try connection.query(
            """
            UPDATE payments SET status = 'failed', failure_code = $3, failure_message = $4, failed_at_micros = $5
            WHERE order_id = $1 AND payment_id = $2 AND status = 'pending'
            """,
            [
                .text(payment.orderID), .text(payment.paymentID), .text(payment.failureCode),
                .text(payment.failureMessage), .integer(payment.failedAtMicros),
            ])
        guard connection.changes == 1 else {
            return false
        }
        try insertEvent(event)
        return true
    }

    func insertRefund(_ refund: Refund, ordinal: Int64, payment: Payment, event: PaymentEvent) throws -> Bool {
        try connection.query(
            SharedStatements.refundPayment,
            [.text(refund.orderID), .text(refund.paymentID), .integer(refund.amountMinorUnits)])
        guard connection.changes == 1 else {
            return false
        }
        try connection.query(
            """
            INSERT INTO refunds (order_id, payment_id, refund_id, ordinal, amount_minor_units, currency, reason,
                created_at_micros)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """,
            [
                .text(refund.orderID), .text(refund.paymentID), .text(refund.refundID), .integer(ordinal),
                .integer(refund.amountMinorUnits), .text(refund.currency), .text(refund.reason),
                .integer(refund.createdAtMicros),
            ])
        try connection.query(
            "UPDATE orders SET paid_minor_units = paid_minor_units - $2 WHERE order_id = $1",
            [.text(refund.orderID), .integer(refund.amountMinorUnits)])
        try requireOneChange("reducing the paid amount of order '\(refund.orderID)'")
        try insertEvent(event)
        return true
    }

    /// Appends an event at the next position; positions follow commit order because writers are serialised.
    private func insertEvent(_ event: PaymentEvent) throws {
        let rows = try connection.query(
            "UPDATE event_feed SET last_position = last_position + 1 RETURNING last_position", [])
        guard let position = try rows.first?.integer(0) else {
            throw PaymentError(.internal, "the event_feed row is missing; the schema is damaged")
        }
        try connection.query(
            "INSERT INTO payment_events (position, \(StoredColumns.eventInsert)) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            [.integer(position)] + StoredColumns.eventInsertValues(event))
        wroteEvent.isSet = true
    }

    private func requireOneChange(_ step: String) throws {
        guard connection.changes == 1 else {
            throw PaymentError(.internal, "\(step) changed \(connection.changes) rows instead of 1")
        }
    }
}

/// Statements whose SQL both databases accept unchanged.
enum SharedStatements {
    /// Creates or locks the order, reserves the next payment ordinal, and sets the total when the order had none
    /// and the new total is not below the paid amount. Otherwise the order keeps no total, and the rules then
    /// report it as paid.
    static let upsertOrder = """
        INSERT INTO orders AS o (order_id, currency, total_minor_units, paid_minor_units, payment_count, created_at_micros)
        VALUES ($1, $2, $3, 0, 1, $4)
        ON CONFLICT (order_id) DO UPDATE SET
            payment_count = o.payment_count + 1,
            total_minor_units = CASE
                WHEN o.total_minor_units IS NULL AND excluded.total_minor_units >= o.paid_minor_units
                THEN excluded.total_minor_units ELSE o.total_minor_units END
        RETURNING order_id, currency, total_minor_units, paid_minor_units, payment_count
        """

    /// Adds a capture to the order's paid amount only while the order's balance allows it.
    static let captureOrder = """
        UPDATE orders SET paid_minor_units = paid_minor_units + $2
        WHERE order_id = $1 AND CASE WHEN total_minor_units IS NULL THEN paid_minor_units = 0
            ELSE paid_minor_units + $2 <= total_minor_units END
        """

    /// Adds a refund to a captured payment only while the refunded total stays within its amount.
    static let refundPayment = """
        UPDATE payments SET
            refunded_minor_units = refunded_minor_units + $3,
            status = CASE WHEN refunded_minor_units + $3 = amount_minor_units
                THEN 'refunded' ELSE 'partially_refunded' END
        WHERE order_id = $1 AND payment_id = $2 AND status IN ('succeeded', 'partially_refunded')
            AND refunded_minor_units + $3 <= amount_minor_units
        """
}
