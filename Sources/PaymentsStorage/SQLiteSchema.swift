import PaymentsDomain

/// Versioned schema migrations of the SQLite store, recorded in `schema_migrations`.
enum SQLiteSchema {
    /// Migrations in version order; a released migration is never edited, only followed by a new one.
    static let migrations: [(version: Int64, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE orders (
                    order_id TEXT PRIMARY KEY,
                    currency TEXT NOT NULL,
                    total_minor_units INTEGER CHECK (total_minor_units > 0),
                    paid_minor_units INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor_units >= 0),
                    payment_count INTEGER NOT NULL,
                    created_at_micros INTEGER NOT NULL,
                    CHECK (total_minor_units IS NULL OR paid_minor_units <= total_minor_units)
                ) STRICT
                """,
                """
                CREATE TABLE payments (
                    order_id TEXT NOT NULL REFERENCES orders (order_id),
                    payment_id TEXT NOT NULL,
                    ordinal INTEGER NOT NULL,
                    status TEXT NOT NULL
                        CHECK (status IN ('pending', 'succeeded', 'failed', 'partially_refunded', 'refunded')),
                    amount_minor_units INTEGER NOT NULL CHECK (amount_minor_units > 0),
                    currency TEXT NOT NULL,
                    method TEXT NOT NULL,
                    gateway TEXT NOT NULL,
                    gateway_payment_id TEXT NOT NULL,
                    refunded_minor_units INTEGER NOT NULL DEFAULT 0
                        CHECK (refunded_minor_units >= 0 AND refunded_minor_units <= amount_minor_units),
                    failure_code TEXT NOT NULL DEFAULT '',
                    failure_message TEXT NOT NULL DEFAULT '',
                    created_at_micros INTEGER NOT NULL,
                    confirmed_at_micros INTEGER NOT NULL DEFAULT 0,
                    failed_at_micros INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (order_id, payment_id),
                    UNIQUE (order_id, ordinal),
                    CHECK (status <> 'refunded' OR refunded_minor_units = amount_minor_units),
                    CHECK (status IN ('succeeded', 'partially_refunded', 'refunded') OR refunded_minor_units = 0)
                ) STRICT, WITHOUT ROWID
                """,
                """
                CREATE TABLE refunds (
                    order_id TEXT NOT NULL,
                    payment_id TEXT NOT NULL,
                    refund_id TEXT NOT NULL,
                    ordinal INTEGER NOT NULL,
                    amount_minor_units INTEGER NOT NULL CHECK (amount_minor_units > 0),
                    currency TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    created_at_micros INTEGER NOT NULL,
                    PRIMARY KEY (order_id, refund_id),
                    UNIQUE (order_id, payment_id, ordinal),
                    FOREIGN KEY (order_id, payment_id) REFERENCES payments (order_id, payment_id)
                ) STRICT, WITHOUT ROWID
                """,
                """
                CREATE TABLE payment_events (
                    position INTEGER PRIMARY KEY,
                    event_id TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    occurred_at_micros INTEGER NOT NULL,
                    order_id TEXT NOT NULL,
                    payment_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    amount_minor_units INTEGER NOT NULL,
                    currency TEXT NOT NULL,
                    refund_id TEXT NOT NULL,
                    refund_amount_minor_units INTEGER NOT NULL,
                    refunded_minor_units INTEGER NOT NULL,
                    failure_code TEXT NOT NULL
                ) STRICT
                """,
                "CREATE INDEX payment_events_order_position ON payment_events (order_id, position)",
                "CREATE INDEX payment_events_occurred_at ON payment_events (occurred_at_micros)",
                """
                CREATE TABLE event_feed (
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    last_position INTEGER NOT NULL
                ) STRICT
                """,
                "INSERT INTO event_feed (singleton, last_position) VALUES (1, 0)",
                """
                CREATE TABLE idempotency_keys (
                    scope TEXT NOT NULL,
                    key TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    response TEXT,
                    created_at_micros INTEGER NOT NULL,
                    PRIMARY KEY (scope, key)
                ) STRICT, WITHOUT ROWID
                """,
                "CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at_micros)",
            ]
        )
    ]

    /// Applies the migrations the database lacks, in one `BEGIN IMMEDIATE` transaction.
    ///
    /// The immediate transaction takes SQLite's write lock first, so two processes starting at once apply
    /// each migration exactly once. The second one waits, up to the busy timeout, and then reads the recorded
    /// versions.
    static func migrate(_ connection: SQLiteConnection) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            try connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at_micros INTEGER NOT NULL)"
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
