import PaymentsDomain

/// Versioned schema migrations of the PostgreSQL store, recorded in `schema_migrations`.
///
/// Every table carries `order_id` and keys start with it where rows belong to an order, so the tables can
/// later be distributed by `order_id`.
enum PostgresSchema {
    /// Key of the transaction-level advisory lock that serialises migrations across processes.
    static let migrationLockKey: Int64 = 7_305_112_001

    /// Maximum wait for another process's migration before failing.
    static let migrationLockTimeout = "120s"

    /// Migrations in version order; a released migration is never edited, only followed by a new one.
    static let migrations: [(version: Int64, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE orders (
                    order_id TEXT PRIMARY KEY,
                    currency TEXT NOT NULL,
                    total_minor_units BIGINT CHECK (total_minor_units > 0),
                    paid_minor_units BIGINT NOT NULL DEFAULT 0 CHECK (paid_minor_units >= 0),
                    payment_count BIGINT NOT NULL,
                    created_at_micros BIGINT NOT NULL,
                    CHECK (total_minor_units IS NULL OR paid_minor_units <= total_minor_units)
                )
                """,
                """
                CREATE TABLE payments (
                    order_id TEXT NOT NULL REFERENCES orders (order_id),
                    payment_id TEXT NOT NULL,
                    ordinal BIGINT NOT NULL,
                    status TEXT NOT NULL
                        CHECK (status IN ('pending', 'succeeded', 'failed', 'partially_refunded', 'refunded')),
                    amount_minor_units BIGINT NOT NULL CHECK (amount_minor_units > 0),
                    currency TEXT NOT NULL,
                    method TEXT NOT NULL,
                    gateway TEXT NOT NULL,
                    gateway_payment_id TEXT NOT NULL,
                    refunded_minor_units BIGINT NOT NULL DEFAULT 0
                        CHECK (refunded_minor_units >= 0 AND refunded_minor_units <= amount_minor_units),
                    failure_code TEXT NOT NULL DEFAULT '',
                    failure_message TEXT NOT NULL DEFAULT '',
                    created_at_micros BIGINT NOT NULL,
                    confirmed_at_micros BIGINT NOT NULL DEFAULT 0,
                    failed_at_micros BIGINT NOT NULL DEFAULT 0,
                    PRIMARY KEY (order_id, payment_id),
                    UNIQUE (order_id, ordinal),
                    CHECK (status <> 'refunded' OR refunded_minor_units = amount_minor_units),
                    CHECK (status IN ('succeeded', 'partially_refunded', 'refunded') OR refunded_minor_units = 0)
                )
                """,
                """
                CREATE TABLE refunds (
                    order_id TEXT NOT NULL,
                    payment_id TEXT NOT NULL,
                    refund_id TEXT NOT NULL,
                    ordinal BIGINT NOT NULL,
                    amount_minor_units BIGINT NOT NULL CHECK (amount_minor_units > 0),
                    currency TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    created_at_micros BIGINT NOT NULL,
                    PRIMARY KEY (order_id, refund_id),
                    UNIQUE (order_id, payment_id, ordinal),
                    FOREIGN KEY (order_id, payment_id) REFERENCES payments (order_id, payment_id)
                )
                """,
                """
                CREATE TABLE payment_events (
                    event_sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    position BIGINT UNIQUE,
                    event_id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    occurred_at_micros BIGINT NOT NULL,
                    order_id TEXT NOT NULL,
                    payment_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    amount_minor_units BIGINT NOT NULL,
                    currency TEXT NOT NULL,
                    refund_id TEXT NOT NULL,
                    refund_amount_minor_units BIGINT NOT NULL,
                    refunded_minor_units BIGINT NOT NULL,
                    failure_code TEXT NOT NULL
                )
                """,
                "CREATE INDEX payment_events_unpositioned ON payment_events (event_sequence) WHERE position IS NULL",
                "CREATE INDEX payment_events_order_position ON payment_events (order_id, position)",
                "CREATE INDEX payment_events_occurred_at ON payment_events (occurred_at_micros)",
                """
                CREATE TABLE event_feed (
                    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
                    last_position BIGINT NOT NULL
                )
                """,
                "INSERT INTO event_feed (singleton, last_position) VALUES (TRUE, 0)",
                """
                CREATE TABLE idempotency_keys (
                    scope TEXT NOT NULL,
                    key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    response TEXT,
                    created_at_micros BIGINT NOT NULL,
                    PRIMARY KEY (scope, key)
                )
                """,
                "CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at_micros)",
            ]
        ),
        (
            2,
            [
                // Aborts the statement that calls it, so a one-statement write whose conditions did not all hold
                // rolls back as a whole (see PostgresFastPath).
                """
                CREATE FUNCTION payments_require(condition boolean) RETURNS boolean LANGUAGE plpgsql AS $$
                BEGIN
                    IF condition IS NOT TRUE THEN
                        RAISE EXCEPTION 'optimistic write did not apply'
                            USING ERRCODE = '\(PostgresFastPath.notAppliedState)';
                    END IF;
                    RETURN TRUE;
                END
                $$
                """
            ]
        ),
        (
            3,
            [
                // The event sequencer's run in one round trip (see PostgresEventSequencer). A VOLATILE function takes
                // a new snapshot for each statement, so the numbering includes every event committed before the lock.
                """
                CREATE FUNCTION payments_assign_positions(batch_size bigint) RETURNS bigint LANGUAGE plpgsql AS $$
                DECLARE
                    previous_position bigint;
                    assigned bigint;
                BEGIN
                    SELECT last_position INTO previous_position FROM event_feed FOR UPDATE;
                    IF NOT FOUND THEN
                        RAISE EXCEPTION 'the event_feed row is missing; the schema is damaged';
                    END IF;
                    WITH pending AS (
                        SELECT event_sequence, row_number() OVER (ORDER BY event_sequence) AS rank
                        FROM payment_events WHERE position IS NULL ORDER BY event_sequence LIMIT batch_size
                    ), positioned AS (
                        UPDATE payment_events e SET position = previous_position + pending.rank
                        FROM pending WHERE e.event_sequence = pending.event_sequence
                        RETURNING e.position
                    ), advanced AS (
                        UPDATE event_feed SET last_position = (SELECT COALESCE(MAX(position), previous_position) FROM positioned)
                    )
                    SELECT count(*) INTO assigned FROM positioned;
                    IF assigned > 0 THEN
                        PERFORM pg_notify('\(PostgresEventSequencer.channel)', '');
                    END IF;
                    RETURN assigned;
                END
                $$
                """
            ]
        ),
    ]

    /// Applies the migrations the database lacks in one transaction under an advisory lock, so two processes
    /// starting at once apply each migration exactly once.
    static func migrate(_ connection: PostgresConnection) throws {
        try connection.execute("BEGIN")
        do {
            // Another process may be migrating; waiting for it is expected, so lift the session's lock timeout.
            try connection.execute("SET LOCAL lock_timeout = '\(migrationLockTimeout)'")
            try connection.query("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLockKey)])
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at_micros BIGINT NOT NULL)"
            )
            let applied = Set(
                try connection.query("SELECT version FROM schema_migrations", []).map { try $0.integer(0) })
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try connection.execute(statement)
                }
                try connection.query(
                    "INSERT INTO schema_migrations (version, applied_at_micros) VALUES ($1, $2)",
                    [.integer(migration.version), .integer(Timestamp.nowMicros())])
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
