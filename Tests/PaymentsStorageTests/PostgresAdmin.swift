import Foundation

@testable import PaymentsStorage

/// Test-only access to the test database outside any store, for creating schemas and killing sessions.
enum PostgresAdmin {
    /// Runs one statement without parameters on a new connection.
    static func execute(_ sql: String, connectionString: String) async throws {
        try await Task.detached {
            let connection = try PostgresConnection(connectionString: connectionString)
            try connection.execute(sql)
        }.value
    }

    /// Returns `url` with `search_path` and `application_name` set to `schema`, so a store's tables land in
    /// that schema and its sessions can be found in `pg_stat_activity`.
    static func withSearchPath(_ url: String, schema: String) -> String {
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
            let separator = url.contains("?") ? "&" : "?"
            return url + separator + "options=-csearch_path%3D\(schema)&application_name=\(schema)"
        }
        return url + " options='-csearch_path=\(schema)' application_name=\(schema)"
    }

    /// Ends every session whose `application_name` is `schema`, as a database restart would.
    static func terminateSessions(of schema: String, connectionString: String) async throws {
        try await execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(schema)'",
            connectionString: connectionString)
    }
}
