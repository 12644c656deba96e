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

    /// Returns `url` with `search_path` set to `schema`, so a store's tables land in that schema.
    static func withSearchPath(_ url: String, schema: String) -> String {
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
            let separator = url.contains("?") ? "&" : "?"
            return url + separator + "options=-csearch_path%3D" + schema
        }
        return url + " options='-csearch_path=\(schema)'"
    }
}
