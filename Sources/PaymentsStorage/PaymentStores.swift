import PaymentsDomain
import PaymentsLogging

/// Opens a store from one configuration string.
public enum PaymentStores {
    /// Opens the store that `url` names.
    ///
    /// - `sqlite:PATH` (for example `sqlite:var/payments.sqlite` or `sqlite:/data/payments.sqlite`) opens
    ///   ``SQLitePaymentStore`` on that file. Its writer polls for the next write for up to `sqliteSpin`
    ///   after a commit.
    /// - `postgresql://…`, `postgres://…` or a libpq key/value string (`host=… dbname=…`) opens
    ///   ``PostgresPaymentStore`` with `poolSize` connections.
    ///
    /// - Throws: ``PaymentError`` `INVALID_ARGUMENT` for any other form, without echoing the string (it may
    ///   hold a password); `STORE_UNAVAILABLE` when the database cannot be opened.
    public static func open(
        url: String, poolSize: Int = 8, sqliteSpin: Duration = .zero, logger: Logger = Logger(label: "payments.store")
    ) async throws -> any PaymentStore {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw PaymentError(
                    .invalidArgument,
                    "the SQLite store URL has no path; write sqlite:PATH, e.g. sqlite:var/payments.sqlite")
            }
            return try await SQLitePaymentStore(path: path, writerSpin: sqliteSpin)
        }
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") || url.contains("=") {
            return try await PostgresPaymentStore(connectionString: url, poolSize: poolSize, logger: logger)
        }
        throw PaymentError(
            .invalidArgument,
            "the store URL is not recognised; use sqlite:PATH, postgresql://… or a libpq key=value string")
    }

    /// Describes the store that `url` names without opening it, safe to log when ``open(url:poolSize:logger:)``
    /// failed.
    ///
    /// A PostgreSQL string is parsed as libpq parses it, so a host or port given as a query parameter
    /// (`postgresql:///payments?host=/tmp/pg&port=54399`) is shown. Options the string leaves out are not,
    /// because libpq fills them in only when it connects; an open store's ``PaymentStore/descriptionForLogs``
    /// has them.
    public static func descriptionForLogs(url: String) -> String {
        if url.hasPrefix("sqlite:") {
            return url
        }
        guard let description = PostgresConnectionInfo.describe(connectionString: url) else {
            return "a connection string that libpq cannot parse"
        }
        return description.isEmpty ? "PostgreSQL with libpq's defaults" : description
    }
}
