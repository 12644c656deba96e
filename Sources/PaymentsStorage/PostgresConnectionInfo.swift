internal import CLibPQ

/// The target of a PostgreSQL connection, written as a libpq key/value string that is safe to log.
///
/// Only `host`, `hostaddr`, `port`, `dbname` and `user` are shown, so a password, an SSL key password or any
/// other option never reaches a log. `host` is a host name, or the directory of a unix socket when it starts
/// with `/`. The output is itself a connection string: `psql "host=/tmp/pg port=54399 dbname=payments"`.
enum PostgresConnectionInfo {
    /// Options written to logs, in this order. Every other option is left out.
    static let loggedKeys = ["host", "hostaddr", "port", "dbname", "user"]

    /// Describes an open connection by the host, port, database and user that libpq connected with.
    ///
    /// These include the defaults that the connection string left out, such as the socket directory or
    /// `PGPORT`, and with several hosts in the string, the one that accepted the connection.
    static func describe(openConnection handle: OpaquePointer) -> String {
        let values: [(String, UnsafeMutablePointer<CChar>?)] = [
            ("host", PQhost(handle)), ("port", PQport(handle)), ("dbname", PQdb(handle)), ("user", PQuser(handle)),
        ]
        return format(values.compactMap { key, value in value.map { (key, String(cString: $0)) } })
    }

    /// Describes a connection string by parsing it as libpq does, without connecting.
    ///
    /// Options that the string leaves out are absent here, because libpq fills them in only when it connects.
    /// Returns nil when libpq cannot parse the string; its error message is dropped because it may quote the string.
    static func describe(connectionString: String) -> String? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            PQfreemem(errorMessage)
            return nil
        }
        defer { PQconninfoFree(options) }

        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        return format(loggedKeys.compactMap { key in values[key].map { (key, $0) } })
    }

    /// Joins the logged options that have a value as `key=value`, quoting a value with whitespace, a quote or a
    /// backslash the way libpq reads it.
    static func format(_ options: [(key: String, value: String)]) -> String {
        let logged = Set(loggedKeys)
        return options.filter { logged.contains($0.key) && !$0.value.isEmpty }
            .map { "\($0.key)=\(quote($0.value))" }
            .joined(separator: " ")
    }

    private static func quote(_ value: String) -> String {
        guard value.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\\" }) else {
            return value
        }
        var escaped = ""
        for character in value {
            if character == "'" || character == "\\" {
                escaped.append("\\")
            }
            escaped.append(character)
        }
        return "'\(escaped)'"
    }
}
