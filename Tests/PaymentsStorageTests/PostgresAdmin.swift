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

    /// Ends every session whose `application_name` is `schema`, as a database restart would, and returns
    /// their process ids.
    @discardableResult
    static func terminateSessions(of schema: String, connectionString: String) async throws -> [Int64] {
        try await Task.detached {
            let connection = try PostgresConnection(connectionString: connectionString)
            // Reads the sessions first, in their own statement, so that no other test's session is ended.
            let rows = try connection.query(
                "SELECT pid FROM pg_stat_activity WHERE application_name = $1", [.text(schema)])
            let pids = try rows.map { try $0.integer(0) }
            try connection.query(
                "SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [.text(arrayLiteral(pids))])
            return pids
        }.value
    }

    /// Returns `values` as a PostgreSQL array literal, such as `{1,2}`.
    private static func arrayLiteral(_ values: [Int64]) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }

    /// Waits up to about 5 s until none of the sessions `pids` is left, and returns how many are left.
    ///
    /// `pg_terminate_backend` only signals a session, which closes its socket a moment later. Sessions that a
    /// store opens again in the meantime, such as its event sequencer's, have other process ids.
    static func waitForSessionsToEnd(_ pids: [Int64], connectionString: String) async throws -> Int {
        var left = 0
        for _ in 0..<250 {
            left = try await Task.detached {
                let connection = try PostgresConnection(connectionString: connectionString)
                let rows = try connection.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1::int[])",
                    [.text(arrayLiteral(pids))])
                return Int(try rows.first?.integer(0) ?? 0)
            }.value
            if left == 0 {
                return 0
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return left
    }
}
