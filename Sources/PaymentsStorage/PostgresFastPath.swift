import PaymentsDomain

/// One-statement writes for register and confirm, the calls that dominate load.
///
/// The transactional path costs `BEGIN`, a locking read, the write and `COMMIT`: four round trips. Here the
/// rules run in Swift on an unlocked read (register needs none). Then a single autocommit statement applies
/// the change only where every condition the rules checked still holds, because the order upsert's
/// `ON CONFLICT … WHERE` and the compare-and-set updates check again on the locked rows. The idempotency key is
/// inserted with its response in the same statement. When any part does not apply (a rule fails, a
/// concurrent change won, the key already exists), `payments_require` raises ``notAppliedState``, the
/// whole statement rolls back, and the store reruns the call on the transactional path, which produces the
/// exact error or replay. The fast path never decides an error itself.
enum PostgresFastPath {
    /// SQLSTATE raised by `payments_require` when the statement must roll back.
    static let notAppliedState = "PAY01"

    /// Registers the payment in one statement; returns nil when the transactional path must run instead.
    static func register(
        _ command: RegisterPaymentCommand, idempotency: Idempotency?, nowMicros: Int64,
        on statements: PostgresStatementLoop
    ) async throws -> Payment? {
        let payment = Payment(
            paymentID: RandomID.make(.payment), orderID: command.orderID, status: .pending,
            amountMinorUnits: command.amountMinorUnits, currency: command.currency.code, method: command.method,
            gateway: command.gateway, gatewayPaymentID: command.gatewayPaymentID, createdAtMicros: nowMicros)
        let event = PaymentEvent(describing: payment, type: .pending, at: nowMicros)

        let sql = idempotency == nil ? registerStatements.withoutKey : registerStatements.withKey
        let parameters: [DatabaseValue] =
            [
                .text(command.orderID), .text(command.currency.code), .optional(command.orderTotalMinorUnits),
                .integer(nowMicros), .integer(command.amountMinorUnits), .text(payment.paymentID),
                .text(command.method.rawValue), .text(command.gateway.rawValue), .text(command.gatewayPaymentID),
            ] + StoredColumns.eventInsertValues(event)
            + claimParameters(idempotency, command.fingerprint, payment, nowMicros)
        return try await apply(sql, parameters, on: statements) ? payment : nil
    }

    /// Confirms a pending payment in one statement after an unlocked read.
    ///
    /// Returns nil when the transactional path must run instead, which includes every payment that is not
    /// pending.
    static func confirm(
        _ command: ConfirmPaymentCommand, idempotency: Idempotency?, nowMicros: Int64,
        on statements: PostgresStatementLoop
    ) async throws -> Payment? {
        let rows = try await statements.query(paymentReadSQL, [.text(command.orderID), .text(command.paymentID)])
        guard let row = rows.first else {
            return nil
        }
        var payment = try StoredColumns.decodePayment(row)
        guard payment.status == .pending else {
            return nil
        }
        payment.status = .succeeded
        payment.confirmedAtMicros = nowMicros
        let event = PaymentEvent(describing: payment, type: .succeeded, at: nowMicros)

        let sql = idempotency == nil ? confirmStatements.withoutKey : confirmStatements.withKey
        let parameters: [DatabaseValue] =
            [
                .text(command.orderID), .text(command.paymentID), .integer(nowMicros),
                .integer(payment.amountMinorUnits),
            ] + StoredColumns.eventInsertValues(event)
            + claimParameters(idempotency, command.fingerprint, payment, nowMicros)
        return try await apply(sql, parameters, on: statements) ? payment : nil
    }

    /// Runs the statement; returns false when it raised ``notAppliedState`` or waited too long for a lock.
    private static func apply(_ sql: String, _ parameters: [DatabaseValue], on statements: PostgresStatementLoop)
        async throws -> Bool
    {
        do {
            _ = try await statements.query(sql, parameters)
            return true
        } catch {
            guard
                (error as? PaymentError)?.details["sqlstate"] == notAppliedState || PostgresErrors.isLockTimeout(error)
            else {
                throw error
            }
            return false
        }
    }

    /// Every statement of the fast path, for ``PostgresStatementLoop`` to prepare on each connection.
    static var allStatements: [String] {
        [
            paymentReadSQL, registerStatements.withoutKey, registerStatements.withKey, confirmStatements.withoutKey,
            confirmStatements.withKey,
        ]
    }

    private static let paymentReadSQL =
        "SELECT \(StoredColumns.payment) FROM payments WHERE order_id = $1 AND payment_id = $2"

    /// The register statement for calls without and with an idempotency key, built once.
    private static let registerStatements = (
        withoutKey: registerSQL(claimsKey: false), withKey: registerSQL(claimsKey: true)
    )

    /// The confirm statement for calls without and with an idempotency key, built once.
    private static let confirmStatements = (
        withoutKey: confirmSQL(claimsKey: false), withKey: confirmSQL(claimsKey: true)
    )

    private static func registerSQL(claimsKey: Bool) -> String {
        """
        WITH upserted_order AS (
            INSERT INTO orders AS o (order_id, currency, total_minor_units, paid_minor_units, payment_count,
                created_at_micros)
            SELECT $1::text, $2::text, $3::bigint, 0, 1, $4::bigint
            WHERE $3::bigint IS NULL OR $5::bigint <= $3::bigint
            ON CONFLICT (order_id) DO UPDATE SET
                payment_count = o.payment_count + 1,
                total_minor_units = COALESCE(o.total_minor_units, excluded.total_minor_units)
            WHERE o.currency = excluded.currency
                AND (excluded.total_minor_units IS NULL OR o.total_minor_units IS NULL
                    OR o.total_minor_units = excluded.total_minor_units)
                AND CASE WHEN COALESCE(o.total_minor_units, excluded.total_minor_units) IS NULL
                    THEN o.paid_minor_units = 0
                    ELSE o.paid_minor_units + $5::bigint <= COALESCE(o.total_minor_units, excluded.total_minor_units)
                END
            RETURNING o.payment_count
        ), inserted_payment AS (
            INSERT INTO payments (order_id, payment_id, ordinal, status, amount_minor_units, currency, method,
                gateway, gateway_payment_id, created_at_micros)
            SELECT $1::text, $6::text, payment_count, 'pending', $5::bigint, $2::text, $7::text, $8::text,
                $9::text, $4::bigint
            FROM upserted_order
            RETURNING 1
        ), inserted_event AS (
            INSERT INTO payment_events (\(StoredColumns.eventInsert))
            SELECT \(PostgresTransaction.eventValues(from: 10, parenthesized: false)) FROM inserted_payment
        )\(claimSQL(claimsKey, after: "inserted_payment", from: 22))
        SELECT payments_require((SELECT count(*) FROM inserted_payment) = 1\(claimCheck(claimsKey)))
        """
    }

    private static func confirmSQL(claimsKey: Bool) -> String {
        """
        WITH captured_payment AS (
            UPDATE payments SET status = 'succeeded', confirmed_at_micros = $3::bigint
            WHERE order_id = $1::text AND payment_id = $2::text AND status = 'pending'
            RETURNING 1
        ), captured_order AS (
            UPDATE orders SET paid_minor_units = paid_minor_units + $4::bigint
            WHERE order_id = $1::text AND EXISTS (SELECT 1 FROM captured_payment)
                AND CASE WHEN total_minor_units IS NULL THEN paid_minor_units = 0
                    ELSE paid_minor_units + $4::bigint <= total_minor_units END
            RETURNING 1
        ), inserted_event AS (
            INSERT INTO payment_events (\(StoredColumns.eventInsert))
            SELECT \(PostgresTransaction.eventValues(from: 5, parenthesized: false)) FROM captured_order
        )\(claimSQL(claimsKey, after: "captured_order", from: 17))
        SELECT payments_require((SELECT count(*) FROM captured_order) = 1\(claimCheck(claimsKey)))
        """
    }

    private static func claimSQL(_ claimsKey: Bool, after source: String, from first: Int) -> String {
        guard claimsKey else {
            return ""
        }
        return """
            , claimed_key AS (
                INSERT INTO idempotency_keys (scope, key, fingerprint, response, created_at_micros)
                SELECT $\(first)::text, $\(first + 1)::text, $\(first + 2)::text, $\(first + 3)::text, $\(first + 4)::bigint
                FROM \(source)
                ON CONFLICT (scope, key) DO NOTHING
                RETURNING 1
            )
            """
    }

    private static func claimCheck(_ claimsKey: Bool) -> String {
        claimsKey ? " AND (SELECT count(*) FROM claimed_key) = 1" : ""
    }

    private static func claimParameters(
        _ idempotency: Idempotency?, _ fingerprint: String, _ payment: Payment, _ nowMicros: Int64
    ) -> [DatabaseValue] {
        guard let idempotency else {
            return []
        }
        return [
            .text(idempotency.scope), .text(idempotency.key), .text(fingerprint),
            .text(payment.storedJSON), .integer(nowMicros),
        ]
    }
}
