import PaymentsDomain

extension PostgresConnection: QueryRunner {}

/// The row operations of one PostgreSQL write transaction (READ COMMITTED).
///
/// Locking: register locks the order row through its upsert. Confirm, fail and refund lock the payment row
/// with `SELECT … FOR UPDATE` and then update the order row. Locks are thus always taken payment first and
/// order second, so no two transactions wait on each other in a cycle. Each write is one statement of
/// data-modifying CTEs that applies the change only when its rule still holds in the database (the order's
/// balance for a capture, the refund cap for a refund) and inserts the outbox event without a position.
/// Writers send no `NOTIFY`: PostgreSQL serialises the commits of notifying transactions, which would cost
/// group commit; the store wakes its own sequencer after each commit instead.
struct PostgresTransaction: PaymentTransaction {
    let connection: PostgresConnection

    func claim(_ idempotency: Idempotency, fingerprint: String, nowMicros: Int64) throws -> StoredIdempotency? {
        // A concurrent transaction holding the same key makes this insert wait on the unique index until it
        // commits (then this call replays) or rolls back (then this call proceeds). A wait longer than the
        // lock timeout means the first call is stuck, reported as IDEMPOTENCY_KEY_IN_PROGRESS.
        let inserted: [DatabaseRow]
        do {
            inserted = try connection.query(
                """
                INSERT INTO idempotency_keys (scope, key, fingerprint, created_at_micros) VALUES ($1, $2, $3, $4)
                ON CONFLICT (scope, key) DO NOTHING RETURNING 1
                """,
                [.text(idempotency.scope), .text(idempotency.key), .text(fingerprint), .integer(nowMicros)])
        } catch  where PostgresErrors.isLockTimeout(error) {
            throw PaymentWorkflow.inProgress(idempotency)
        }
        guard inserted.isEmpty else {
            return nil
        }

        let rows = try connection.query(
            "SELECT fingerprint, response FROM idempotency_keys WHERE scope = $1 AND key = $2",
            [.text(idempotency.scope), .text(idempotency.key)])
        guard let row = rows.first else {
            // The conflicting key was purged between the two statements.
            throw PaymentWorkflow.inProgress(idempotency)
        }
        return StoredIdempotency(fingerprint: row.text(0), response: row.columns[1])
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
            [.text(orderID), .text(currency), .optional(totalMinorUnits), .integer(nowMicros)])
        guard let row = rows.first else {
            throw PaymentError(.internal, "registering on order '\(orderID)' returned no order row")
        }
        return (try StoredColumns.decodeOrder(row), try row.integer(4))
    }

    func lockPayment(orderID: String, paymentID: String) throws -> Payment? {
        try PaymentQueries.payment(orderID: orderID, paymentID: paymentID, locks: true, on: connection)
    }

    func lockOrder(orderID: String) throws -> OrderBalance? {
        try PaymentQueries.order(orderID: orderID, locks: true, on: connection)
    }

    func insertPayment(_ payment: Payment, ordinal: Int64, event: PaymentEvent) throws {
        try connection.query(
            """
            WITH inserted_payment AS (
                INSERT INTO payments (order_id, payment_id, ordinal, status, amount_minor_units, currency, method,
                    gateway, gateway_payment_id, created_at_micros)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ), inserted_event AS (
                INSERT INTO payment_events (\(StoredColumns.eventInsert)) VALUES \(Self.eventValues(from: 11))
            )
            SELECT 1
            """,
            [
                .text(payment.orderID), .text(payment.paymentID), .integer(ordinal), .text(payment.status.rawValue),
                .integer(payment.amountMinorUnits), .text(payment.currency), .text(payment.method.rawValue),
                .text(payment.gateway.rawValue), .text(payment.gatewayPaymentID), .integer(payment.createdAtMicros),
            ] + StoredColumns.eventInsertValues(event))
    }

    func capture(_ payment: Payment, event: PaymentEvent) throws -> Bool {
        let rows = try connection.query(
            """
            WITH captured_order AS (
                UPDATE orders SET paid_minor_units = paid_minor_units + $3::bigint
                WHERE order_id = $1::text AND CASE WHEN total_minor_units IS NULL THEN paid_minor_units = 0
                    ELSE paid_minor_units + $3::bigint <= total_minor_units END
                RETURNING 1
            ), captured_payment AS (
                UPDATE payments SET status = 'succeeded', confirmed_at_micros = $4::bigint
                WHERE order_id = $1::text AND payment_id = $2::text AND status = 'pending'
                    AND EXISTS (SELECT 1 FROM captured_order)
                RETURNING 1
            ), inserted_event AS (
                INSERT INTO payment_events (\(StoredColumns.eventInsert))
                SELECT \(Self.eventValues(from: 5, parenthesized: false)) FROM captured_payment
            )
            SELECT (SELECT count(*) FROM captured_order), (SELECT count(*) FROM captured_payment)
            """,
            [
                .text(payment.orderID), .text(payment.paymentID), .integer(payment.amountMinorUnits),
                .integer(payment.confirmedAtMicros),
            ] + StoredColumns.eventInsertValues(event))
        return try bothUpdated(rows, "confirming payment '\(payment.paymentID)'")
    }

    func markFailed(_ payment: Payment, event: PaymentEvent) throws -> Bool {
        let rows = try connection.query(
            """
            WITH failed_payment AS (
                UPDATE payments SET status = 'failed', failure_code = $3::text, failure_message = $4::text,
                    failed_at_micros = $5::bigint
                WHERE order_id = $1::text AND payment_id = $2::text AND status = 'pending'
                RETURNING 1
            ), inserted_event AS (
                INSERT INTO payment_events (\(StoredColumns.eventInsert))
                SELECT \(Self.eventValues(from: 6, parenthesized: false)) FROM failed_payment
            )
            SELECT (SELECT count(*) FROM failed_payment)
            """,
            [
                .text(payment.orderID), .text(payment.paymentID), .text(payment.failureCode),
                .text(payment.failureMessage), .integer(payment.failedAtMicros),
            ] + StoredColumns.eventInsertValues(event))
        return try rows.first?.integer(0) == 1
    }

    func insertRefund(_ refund: Refund, ordinal: Int64, payment: Payment, event: PaymentEvent) throws -> Bool {
        let rows = try connection.query(
            """
            WITH refunded_payment AS (
                UPDATE payments SET
                    refunded_minor_units = refunded_minor_units + $3::bigint,
                    status = CASE WHEN refunded_minor_units + $3::bigint = amount_minor_units
                        THEN 'refunded' ELSE 'partially_refunded' END
                WHERE order_id = $1::text AND payment_id = $2::text AND status IN ('succeeded', 'partially_refunded')
                    AND refunded_minor_units + $3::bigint <= amount_minor_units
                RETURNING 1
            ), inserted_refund AS (
                INSERT INTO refunds (order_id, payment_id, refund_id, ordinal, amount_minor_units, currency, reason,
                    created_at_micros)
                SELECT $1::text, $2::text, $4::text, $5::bigint, $3::bigint, $6::text, $7::text, $8::bigint
                FROM refunded_payment
            ), refunded_order AS (
                UPDATE orders SET paid_minor_units = paid_minor_units - $3::bigint
                WHERE order_id = $1::text AND EXISTS (SELECT 1 FROM refunded_payment)
                RETURNING 1
            ), inserted_event AS (
                INSERT INTO payment_events (\(StoredColumns.eventInsert))
                SELECT \(Self.eventValues(from: 9, parenthesized: false)) FROM refunded_payment
            )
            SELECT (SELECT count(*) FROM refunded_payment), (SELECT count(*) FROM refunded_order)
            """,
            [
                .text(refund.orderID), .text(refund.paymentID), .integer(refund.amountMinorUnits),
                .text(refund.refundID),
                .integer(ordinal), .text(refund.currency), .text(refund.reason), .integer(refund.createdAtMicros),
            ] + StoredColumns.eventInsertValues(event))
        return try bothUpdated(rows, "refunding payment '\(refund.paymentID)'")
    }

    /// Returns whether both counted updates changed their row; a torn result (one without the other) is a bug.
    private func bothUpdated(_ rows: [DatabaseRow], _ step: String) throws -> Bool {
        guard let row = rows.first else {
            throw PaymentError(.internal, "\(step) returned no result row")
        }
        let first = try row.integer(0)
        let second = try row.integer(1)
        guard first == second else {
            throw PaymentError(.internal, "\(step) changed the payment and the order inconsistently")
        }
        return first == 1
    }

    /// Placeholders for the 12 event columns starting at `$first`, cast so they also work in `SELECT` lists.
    static func eventValues(from first: Int, parenthesized: Bool = true) -> String {
        let types = [
            "text", "text", "bigint", "text", "text", "text", "bigint", "text", "text", "bigint", "bigint", "text",
        ]
        let list = types.enumerated().map { "$\(first + $0.offset)::\($0.element)" }.joined(separator: ", ")
        return parenthesized ? "(\(list))" : list
    }
}
