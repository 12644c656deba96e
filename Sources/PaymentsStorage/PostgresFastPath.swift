import PaymentsDomain

/// One-statement writes for register and confirm, the calls that dominate load.
///
/// The transactional path costs `BEGIN`, a locking read, the write and `COMMIT`: four round trips. Here a
/// single autocommit statement, one round trip, applies the change only where every rule holds, because the
/// order upsert's `ON CONFLICT … WHERE` and the compare-and-set updates check the rules on the locked rows.
/// Register builds its rows in Swift. Confirm reads the payment through the statement's own update, and builds
/// its event and stored response from the updated row. The idempotency key is inserted with its response in the
/// same statement. When any part does not apply (a rule fails, a
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
        return try await apply(sql, parameters, on: statements) == nil ? nil : payment
    }

    /// Confirms a pending payment in one statement, which reads the payment as it updates it.
    ///
    /// Returns nil when the transactional path must run instead, which includes every payment that is not
    /// pending. The statement builds the event and the stored response from the updated row, so the call
    /// takes one round trip to PostgreSQL.
    static func confirm(
        _ command: ConfirmPaymentCommand, idempotency: Idempotency?, nowMicros: Int64,
        on statements: PostgresStatementLoop
    ) async throws -> Payment? {
        let sql = idempotency == nil ? confirmStatements.withoutKey : confirmStatements.withKey
        var parameters: [DatabaseValue] = [
            .text(command.orderID), .text(command.paymentID), .integer(nowMicros), .text(RandomID.make(.event)),
        ]
        if let idempotency {
            parameters += [.text(idempotency.scope), .text(idempotency.key), .text(command.fingerprint)]
        }
        guard let rows = try await apply(sql, parameters, on: statements) else {
            return nil
        }
        guard let row = rows.first else {
            throw PaymentError(
                .internal, "the confirm statement returned no row",
                details: ["order_id": command.orderID, "payment_id": command.paymentID])
        }
        return try StoredColumns.decodePayment(row)
    }

    /// Runs the statement and returns its rows; returns nil when it raised ``notAppliedState`` or waited too
    /// long for a lock.
    private static func apply(_ sql: String, _ parameters: [DatabaseValue], on statements: PostgresStatementLoop)
        async throws -> [DatabaseRow]?
    {
        do {
            return try await statements.query(sql, parameters)
        } catch {
            guard
                (error as? PaymentError)?.details["sqlstate"] == notAppliedState || PostgresErrors.isLockTimeout(error)
            else {
                throw error
            }
            return nil
        }
    }

    /// Every statement of the fast path, for ``PostgresStatementLoop`` to prepare on each connection.
    static var allStatements: [String] {
        [
            registerStatements.withoutKey, registerStatements.withKey, confirmStatements.withoutKey,
            confirmStatements.withKey,
        ]
    }

    /// The register statement for calls without and with an idempotency key, built once.
    private static let registerStatements = (
        withoutKey: registerSQL(claimsKey: false), withKey: registerSQL(claimsKey: true)
    )

    /// The confirm statement for calls without and with an idempotency key, built once.
    private static let confirmStatements = (
        withoutKey: confirmSQL(claimsKey: false), withKey: confirmSQL(claimsKey: true)
    )

    private static func registerSQL(claimsKey: Bool) -> String {
        let claim = claimSQL(
            claimsKey, from: "inserted_payment", firstParameter: 22, response: "$25::text", createdAt: "$26::bigint")
        return """
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
            )\(claim)
            SELECT payments_require((SELECT count(*) FROM inserted_payment) = 1\(claimCheck(claimsKey)))
            """
    }

    /// Builds the confirm statement, whose payment update returns the row that the other parts take values from.
    ///
    /// Parameters: order id, payment id, now and event id, then with a key its scope, the key and the
    /// fingerprint. The last `SELECT` yields one row even when no payment was pending, so `payments_require`
    /// always runs. Its first columns are the payment's.
    private static func confirmSQL(claimsKey: Bool) -> String {
        let claim = claimSQL(
            claimsKey, from: "captured_payment AS p, captured_order", firstParameter: 5, response: storedPaymentJSON,
            createdAt: "$3::bigint")
        let paymentColumns = StoredColumns.payment.split(separator: ",").map { "p.\($0.trimmingPrefix(" "))" }
        return """
            WITH captured_payment AS (
                UPDATE payments SET status = '\(PaymentStatus.succeeded.rawValue)', confirmed_at_micros = $3::bigint
                WHERE order_id = $1::text AND payment_id = $2::text AND status = '\(PaymentStatus.pending.rawValue)'
                RETURNING \(StoredColumns.payment)
            ), captured_order AS (
                UPDATE orders AS o SET paid_minor_units = o.paid_minor_units + p.amount_minor_units
                FROM captured_payment AS p
                WHERE o.order_id = $1::text
                    AND CASE WHEN o.total_minor_units IS NULL THEN o.paid_minor_units = 0
                        ELSE o.paid_minor_units + p.amount_minor_units <= o.total_minor_units END
                RETURNING 1
            ), inserted_event AS (
                INSERT INTO payment_events (\(StoredColumns.eventInsert))
                SELECT $4::text, '\(PaymentEventType.succeeded.rawValue)', $3::bigint, p.order_id, p.payment_id,
                    p.status, p.amount_minor_units, p.currency, '', 0, p.refunded_minor_units, p.failure_code
                FROM captured_payment AS p, captured_order
            )\(claim)
            SELECT \(paymentColumns.joined(separator: ", ")),
                payments_require((SELECT count(*) FROM captured_order) = 1\(claimCheck(claimsKey)))
            FROM (SELECT 1) AS one LEFT JOIN captured_payment AS p ON true
            """
    }

    /// SQL for the confirmed payment as the exact text ``StoredResponse/storedJSON`` writes, from
    /// `captured_payment AS p`, so a stored response does not depend on the path that wrote it.
    ///
    /// The keys come in the same order. `to_json` escapes text as ``ResponseJSONWriter`` does except for `/`,
    /// which the `replace` escapes. A pending payment has no refunds, and every column is NOT NULL.
    private static let storedPaymentJSON: String = {
        func text(_ column: String) -> String { "replace(to_json(p.\(column))::text, '/', '\\/')" }
        let fields = [
            ("amountMinorUnits", "p.amount_minor_units"), ("confirmedAtMicros", "p.confirmed_at_micros"),
            ("createdAtMicros", "p.created_at_micros"), ("currency", text("currency")),
            ("failedAtMicros", "p.failed_at_micros"), ("failureCode", text("failure_code")),
            ("failureMessage", text("failure_message")), ("gateway", text("gateway")),
            ("gatewayPaymentID", text("gateway_payment_id")), ("method", text("method")),
            ("orderID", text("order_id")), ("paymentID", text("payment_id")),
            ("refundedMinorUnits", "p.refunded_minor_units"), ("refunds", "'[]'"), ("status", text("status")),
        ]
        let parts = fields.enumerated().map { index, field in
            "'\(index == 0 ? "{" : ",")\"\(field.0)\":' || \(field.1)"
        }
        return parts.joined(separator: "\n        || ") + " || '}'"
    }()

    /// Returns the part that claims the idempotency key, or nothing without a key. The scope, key and
    /// fingerprint are the three parameters from `firstParameter`, and `response` and `createdAt` are SQL
    /// expressions. The claim runs once for each row of `source`.
    private static func claimSQL(
        _ claimsKey: Bool, from source: String, firstParameter first: Int, response: String, createdAt: String
    ) -> String {
        guard claimsKey else {
            return ""
        }
        return """
            , claimed_key AS (
                INSERT INTO idempotency_keys (scope, key, fingerprint, response, created_at_micros)
                SELECT $\(first)::text, $\(first + 1)::text, $\(first + 2)::text, \(response), \(createdAt)
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
