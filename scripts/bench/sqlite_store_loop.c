// The SQLite store's register and confirm transactions in a tight single-threaded C loop: the same schema,
// statements, pragmas (WAL, synchronous=FULL, foreign_keys=ON, temp_store=MEMORY) and BEGIN IMMEDIATE transactions as
// SQLitePaymentStore, with no RPC, no Swift and no JSON encoding. It is the floor the server's
// register+confirm on SQLite is compared against.
//
//   sqlite_store_loop DB SECONDS
//
// Prints one line: operations (register + confirm, two commits each) per second and latency percentiles.
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static long long now_micros(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static sqlite3 *database;

static void check(int status, const char *step) {
    if (status != SQLITE_OK && status != SQLITE_DONE && status != SQLITE_ROW) {
        fprintf(stderr, "%s failed: %s\n", step, sqlite3_errmsg(database));
        exit(1);
    }
}

static void run(const char *sql) {
    char *message = NULL;
    if (sqlite3_exec(database, sql, NULL, NULL, &message) != SQLITE_OK) {
        fprintf(stderr, "%s failed: %s\n", sql, message);
        exit(1);
    }
}

static sqlite3_stmt *prepare(const char *sql) {
    sqlite3_stmt *statement = NULL;
    check(sqlite3_prepare_v3(database, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL), sql);
    return statement;
}

// Steps a statement to the end and resets it, as SQLiteConnection.query does.
static void step(sqlite3_stmt *statement, const char *name) {
    int status;
    while ((status = sqlite3_step(statement)) == SQLITE_ROW) {
        for (int column = 0; column < sqlite3_column_count(statement); column++) sqlite3_column_text(statement, column);
    }
    check(status, name);
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
}

static void text(sqlite3_stmt *statement, int index, const char *value) {
    check(sqlite3_bind_text(statement, index, value, -1, SQLITE_TRANSIENT), "bind");
}

static void integer(sqlite3_stmt *statement, int index, long long value) {
    check(sqlite3_bind_int64(statement, index, value), "bind");
}

static const char *schema[] = {
    "CREATE TABLE orders (order_id TEXT PRIMARY KEY, currency TEXT NOT NULL, total_minor_units INTEGER CHECK "
    "(total_minor_units > 0), paid_minor_units INTEGER NOT NULL DEFAULT 0 CHECK (paid_minor_units >= 0), "
    "payment_count INTEGER NOT NULL, created_at_micros INTEGER NOT NULL, CHECK (total_minor_units IS NULL OR "
    "paid_minor_units <= total_minor_units)) STRICT",
    "CREATE TABLE payments (order_id TEXT NOT NULL REFERENCES orders (order_id), payment_id TEXT NOT NULL, ordinal "
    "INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', "
    "'partially_refunded', 'refunded')), amount_minor_units INTEGER NOT NULL CHECK (amount_minor_units > 0), "
    "currency TEXT NOT NULL, method TEXT NOT NULL, gateway TEXT NOT NULL, gateway_payment_id TEXT NOT NULL, "
    "refunded_minor_units INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor_units >= 0 AND refunded_minor_units <= "
    "amount_minor_units), failure_code TEXT NOT NULL DEFAULT '', failure_message TEXT NOT NULL DEFAULT '', "
    "created_at_micros INTEGER NOT NULL, confirmed_at_micros INTEGER NOT NULL DEFAULT 0, failed_at_micros INTEGER "
    "NOT NULL DEFAULT 0, PRIMARY KEY (order_id, payment_id), UNIQUE (order_id, ordinal), CHECK (status <> "
    "'refunded' OR refunded_minor_units = amount_minor_units), CHECK (status IN ('succeeded', "
    "'partially_refunded', 'refunded') OR refunded_minor_units = 0)) STRICT, WITHOUT ROWID",
    "CREATE TABLE payment_events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, "
    "occurred_at_micros INTEGER NOT NULL, order_id TEXT NOT NULL, payment_id TEXT NOT NULL, status TEXT NOT NULL, "
    "amount_minor_units INTEGER NOT NULL, currency TEXT NOT NULL, refund_id TEXT NOT NULL, "
    "refund_amount_minor_units INTEGER NOT NULL, refunded_minor_units INTEGER NOT NULL, failure_code TEXT NOT "
    "NULL) STRICT",
    "CREATE INDEX payment_events_order_position ON payment_events (order_id, position)",
    "CREATE INDEX payment_events_occurred_at ON payment_events (occurred_at_micros)",
    "CREATE TABLE event_feed (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), last_position INTEGER NOT NULL) "
    "STRICT",
    "INSERT INTO event_feed (singleton, last_position) VALUES (1, 0)",
    "CREATE TABLE idempotency_keys (scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, response "
    "TEXT, created_at_micros INTEGER NOT NULL, PRIMARY KEY (scope, key)) STRICT, WITHOUT ROWID",
    "CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at_micros)",
};

// A stored response of about the size the store writes: the payment encoded as JSON.
static const char *stored_response =
    "{\"amountMinorUnits\":1000,\"confirmedAtMicros\":0,\"createdAtMicros\":1764880000000000,\"currency\":\"USD\","
    "\"failedAtMicros\":0,\"failureCode\":\"\",\"failureMessage\":\"\",\"gateway\":\"pos\",\"gatewayPaymentID\":\"\","
    "\"method\":\"cash\",\"orderID\":\"bench-order-000000000\",\"paymentID\":\"pay_AAAAAAAAAAAAAAAAAAAAAAAA\","
    "\"refundedMinorUnits\":0,\"refunds\":[],\"status\":\"pending\"}";

static void random_id(char *out, const char *prefix) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t length = strlen(prefix);
    memcpy(out, prefix, length);
    for (int index = 0; index < 22; index++) out[length + index] = alphabet[rand() & 63];
    out[length + 22] = 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: sqlite_store_loop DB SECONDS\n");
        return 2;
    }
    double seconds = atof(argv[2]);
    check(sqlite3_open_v2(argv[1], &database, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL),
          "open");
    check(sqlite3_busy_timeout(database, 5000), "busy timeout");
    run("PRAGMA journal_mode=WAL");
    run("PRAGMA synchronous=FULL");
    run("PRAGMA foreign_keys=ON");
    run("PRAGMA temp_store=MEMORY");
    run("BEGIN IMMEDIATE");
    for (size_t index = 0; index < sizeof schema / sizeof schema[0]; index++) run(schema[index]);
    run("COMMIT");

    sqlite3_stmt *begin = prepare("BEGIN IMMEDIATE"), *commit = prepare("COMMIT");
    sqlite3_stmt *claim_select = prepare("SELECT fingerprint, response FROM idempotency_keys WHERE scope = ?1 AND key = ?2");
    sqlite3_stmt *claim_insert = prepare(
        "INSERT INTO idempotency_keys (scope, key, fingerprint, created_at_micros) VALUES (?1, ?2, ?3, ?4)");
    sqlite3_stmt *record = prepare("UPDATE idempotency_keys SET response = ?3 WHERE scope = ?1 AND key = ?2");
    sqlite3_stmt *upsert_order = prepare(
        "INSERT INTO orders AS o (order_id, currency, total_minor_units, paid_minor_units, payment_count, "
        "created_at_micros) VALUES (?1, ?2, ?3, 0, 1, ?4) ON CONFLICT (order_id) DO UPDATE SET payment_count = "
        "o.payment_count + 1, total_minor_units = CASE WHEN o.total_minor_units IS NULL AND "
        "excluded.total_minor_units >= o.paid_minor_units THEN excluded.total_minor_units ELSE o.total_minor_units "
        "END RETURNING order_id, currency, total_minor_units, paid_minor_units, payment_count");
    sqlite3_stmt *insert_payment = prepare(
        "INSERT INTO payments (order_id, payment_id, ordinal, status, amount_minor_units, currency, method, gateway, "
        "gateway_payment_id, created_at_micros) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    sqlite3_stmt *next_position = prepare("UPDATE event_feed SET last_position = last_position + 1 RETURNING last_position");
    sqlite3_stmt *insert_event = prepare(
        "INSERT INTO payment_events (position, event_id, type, occurred_at_micros, order_id, payment_id, status, "
        "amount_minor_units, currency, refund_id, refund_amount_minor_units, refunded_minor_units, failure_code) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    sqlite3_stmt *select_payment = prepare(
        "SELECT payment_id, order_id, status, amount_minor_units, currency, method, gateway, gateway_payment_id, "
        "refunded_minor_units, failure_code, failure_message, created_at_micros, confirmed_at_micros, "
        "failed_at_micros FROM payments WHERE order_id = ?1 AND payment_id = ?2");
    sqlite3_stmt *capture_order = prepare(
        "UPDATE orders SET paid_minor_units = paid_minor_units + ?2 WHERE order_id = ?1 AND CASE WHEN "
        "total_minor_units IS NULL THEN paid_minor_units = 0 ELSE paid_minor_units + ?2 <= total_minor_units END");
    sqlite3_stmt *capture_payment = prepare(
        "UPDATE payments SET status = 'succeeded', confirmed_at_micros = ?3 WHERE order_id = ?1 AND payment_id = ?2 "
        "AND status = 'pending'");

    size_t capacity = 1 << 22;
    double *latencies = malloc(sizeof(double) * capacity);
    srand((unsigned)(time(NULL) ^ getpid()));
    char order_id[64], payment_id[64], key[64], event_id[64];
    const char *register_scope = "bench:/payments.v1.PaymentService/RegisterPayment";
    const char *confirm_scope = "bench:/payments.v1.PaymentService/ConfirmPayment";
    double start = now(), end = start + seconds;
    size_t operations = 0;
    long long position = 0;
    while (operations < capacity) {
        double begun = now();
        if (begun >= end) break;
        snprintf(order_id, sizeof order_id, "loop-%d-%zu", getpid(), operations);
        random_id(payment_id, "pay_");
        long long micros = now_micros();

        // RegisterPayment: claim the key, upsert the order, insert payment and event, store the response.
        step(begin, "begin");
        random_id(key, "");
        text(claim_select, 1, register_scope), text(claim_select, 2, key), step(claim_select, "claim select");
        text(claim_insert, 1, register_scope), text(claim_insert, 2, key), text(claim_insert, 3, "fingerprint");
        integer(claim_insert, 4, micros), step(claim_insert, "claim insert");
        text(upsert_order, 1, order_id), text(upsert_order, 2, "USD"), sqlite3_bind_null(upsert_order, 3);
        integer(upsert_order, 4, micros), step(upsert_order, "upsert order");
        text(insert_payment, 1, order_id), text(insert_payment, 2, payment_id), integer(insert_payment, 3, 1);
        text(insert_payment, 4, "pending"), integer(insert_payment, 5, 1000), text(insert_payment, 6, "USD");
        text(insert_payment, 7, "cash"), text(insert_payment, 8, "pos"), text(insert_payment, 9, "");
        integer(insert_payment, 10, micros), step(insert_payment, "insert payment");
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                // ConfirmPayment: claim the key, read the payment, capture order and payment, insert the event.
                step(commit, "commit");
                step(begin, "begin");
                random_id(key, "");
                text(claim_select, 1, confirm_scope), text(claim_select, 2, key), step(claim_select, "claim select");
                text(claim_insert, 1, confirm_scope), text(claim_insert, 2, key), text(claim_insert, 3, "fingerprint");
                integer(claim_insert, 4, micros), step(claim_insert, "claim insert");
                text(select_payment, 1, order_id), text(select_payment, 2, payment_id), step(select_payment, "select");
                text(capture_order, 1, order_id), integer(capture_order, 2, 1000), step(capture_order, "capture order");
                text(capture_payment, 1, order_id), text(capture_payment, 2, payment_id);
                integer(capture_payment, 3, micros), step(capture_payment, "capture payment");
            }
            step(next_position, "next position");
            position++;
            random_id(event_id, "evt_");
            integer(insert_event, 1, position), text(insert_event, 2, event_id);
            text(insert_event, 3, pass == 0 ? "order.payment.pending" : "order.payment.succeeded");
            integer(insert_event, 4, micros), text(insert_event, 5, order_id), text(insert_event, 6, payment_id);
            text(insert_event, 7, pass == 0 ? "pending" : "succeeded"), integer(insert_event, 8, 1000);
            text(insert_event, 9, "USD"), text(insert_event, 10, ""), integer(insert_event, 11, 0);
            integer(insert_event, 12, 0), text(insert_event, 13, ""), step(insert_event, "insert event");
            text(record, 1, pass == 0 ? register_scope : confirm_scope), text(record, 2, key);
            text(record, 3, stored_response), step(record, "record response");
        }
        step(commit, "commit");
        latencies[operations++] = now() - begun;
    }
    double elapsed = now() - start;
    qsort(latencies, operations, sizeof(double), compare);
    printf("operations=%zu secs=%.2f ops=%.0f p50_us=%.1f p99_us=%.1f\n", operations, elapsed, operations / elapsed,
           operations ? latencies[operations / 2] * 1e6 : 0, operations ? latencies[(size_t)(operations * 0.99)] * 1e6 : 0);
    sqlite3_close(database);
    return 0;
}
