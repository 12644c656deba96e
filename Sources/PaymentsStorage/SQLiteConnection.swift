internal import CSQLite
import Foundation
import PaymentsDomain

/// One SQLite database connection with a cache of prepared statements; used by one thread at a time.
final class SQLiteConnection: WorkerConnection {
    private let handle: OpaquePointer
    private var statements = StatementCache<OpaquePointer>()
    private let path: String

    /// `SQLITE_TRANSIENT`: SQLite copies bound text before the call returns.
    private static let transient = unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)

    /// Opens (creating when missing) the database file at `path` in WAL mode with durable commits.
    ///
    /// `synchronous=FULL` syncs the WAL on every commit, so a committed payment survives a power loss;
    /// NORMAL would be faster and could lose the last commits.
    init(path: String, busyTimeoutMilliseconds: Int32) throws(PaymentError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw PaymentError(
                .storeUnavailable,
                "cannot open the SQLite database '\(path)'; check that its directory exists and is writable",
                cause: message)
        }
        self.handle = handle
        self.path = path

        let busyStatus = sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        guard busyStatus == SQLITE_OK else {
            throw error(busyStatus, "setting the busy timeout")
        }
        try enableWriteAheadLog(timeoutMilliseconds: busyTimeoutMilliseconds)
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
        // Savepoint journals of a group commit stay in memory. Spilled to a temporary file, they cost a file
        // creation and tens of KiB of writes per batch.
        try execute("PRAGMA temp_store=MEMORY")
    }

    deinit {
        for statement in statements.values {
            sqlite3_finalize(statement)
        }
        sqlite3_close_v2(handle)
    }

    /// Switches the file to WAL mode, waiting up to `timeoutMilliseconds` for the lock that needs.
    ///
    /// While another connection opens the same new file, SQLite may return `SQLITE_BUSY` at once without
    /// calling the busy handler, which it skips where waiting could deadlock (see `sqlite3_busy_handler`).
    private func enableWriteAheadLog(timeoutMilliseconds: Int32) throws(PaymentError) {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeoutMilliseconds))
        while true {
            let status = sqlite3_exec(handle, "PRAGMA journal_mode=WAL", nil, nil, nil)
            if status == SQLITE_OK {
                return
            }
            let primary = status & 0xFF
            guard primary == SQLITE_BUSY || primary == SQLITE_LOCKED, ContinuousClock.now < deadline else {
                throw error(status, "switching to WAL mode")
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    /// SQLite reports failures per call; a connection is never left unusable.
    var isBroken: Bool { false }

    /// Runs SQL without parameters or results, such as a pragma or `BEGIN IMMEDIATE`.
    func execute(_ sql: String) throws(PaymentError) {
        _ = try query(sql, [])
    }

    /// Runs one statement with `parameters` bound to `?1`, `?2`, … and returns its rows as text.
    @discardableResult
    func query(_ sql: String, _ parameters: [DatabaseValue]) throws(PaymentError) -> [DatabaseRow] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(parameters, to: statement)

        var rows: [DatabaseRow] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE {
                return rows
            }
            guard status == SQLITE_ROW else {
                throw error(status, "running a statement")
            }
            rows.append(readRow(statement))
        }
    }

    /// Whether a transaction is open. SQLite rolls a transaction back by itself after some errors, such
    /// as a full disk, and this separates those from errors that left the transaction open.
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Number of rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int { Int(sqlite3_changes(handle)) }

    private func prepared(_ sql: String) throws(PaymentError) -> OpaquePointer {
        if let statement = statements.value(for: sql) {
            return statement
        }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(
            handle, Self.numberedParameters(sql), -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw error(status, "preparing a statement")
        }
        statements.store(statement, for: sql)
        return statement
    }

    /// Rewrites PostgreSQL's `$1` placeholders as SQLite's `?1`, which bind by number; SQLite would read `$1`
    /// as a named parameter numbered by first appearance.
    private static func numberedParameters(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count)
        var previous: Character = " "
        for character in sql {
            if previous == "$" && character.isNumber {
                result.removeLast()
                result.append("?")
            }
            result.append(character)
            previous = character
        }
        return result
    }

    private func bind(_ parameters: [DatabaseValue], to statement: OpaquePointer) throws(PaymentError) {
        for (offset, parameter) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch parameter {
            case .integer(let value):
                status = sqlite3_bind_int64(statement, index, value)
            case .text(let value):
                status = sqlite3_bind_text(statement, index, value, -1, Self.transient)
            case .null:
                status = sqlite3_bind_null(statement, index)
            }
            guard status == SQLITE_OK else {
                throw error(status, "binding parameter \(index)")
            }
        }
    }

    private func readRow(_ statement: OpaquePointer) -> DatabaseRow {
        let count = sqlite3_column_count(statement)
        var columns: [String?] = []
        columns.reserveCapacity(Int(count))
        for index in 0..<count {
            if sqlite3_column_type(statement, index) == SQLITE_NULL {
                columns.append(nil)
            } else if let text = sqlite3_column_text(statement, index) {
                columns.append(String(cString: text))
            } else {
                columns.append("")
            }
        }
        return DatabaseRow(columns: columns)
    }

    /// Maps a failed SQLite call to a store error; the message names the step, never the SQL.
    func error(_ status: Int32, _ step: String) -> PaymentError {
        let detail = String(cString: sqlite3_errmsg(handle))
        let primary = status & 0xFF
        switch primary {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return PaymentError(
                .storeUnavailable, "the SQLite database is locked by another process; retry",
                cause: "\(step): \(detail)")
        case SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_PROTOCOL:
            return PaymentError(
                .storeUnavailable,
                "the SQLite database '\(path)' cannot be written; check the disk and file permissions",
                cause: "\(step): \(detail)")
        default:
            return PaymentError(.internal, "SQLite failed while \(step)", cause: "code \(status): \(detail)")
        }
    }
}
