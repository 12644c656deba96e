/// Values per SQL text, such as prepared statements, looked up without hashing the text in the common case.
///
/// The statements that run on every call are built once and stored in static constants, so the same string
/// storage comes back each time. A lookup first tries the address of the text's UTF-8 bytes, and a hit is
/// confirmed with `==`, which returns at once for the same storage. Only a miss hashes the whole text, which
/// for a statement of a few KiB cost more than running the rest of the lookup. Used by one thread at a time.
struct StatementCache<Value> {
    private var bySQL: [String: Value] = [:]
    private var byAddress: [UInt: (sql: String, value: Value)] = [:]

    /// Maximum number of address entries, because SQL built anew on every call would add one entry per call.
    static var maxAddressEntries: Int { 256 }

    /// All stored values, for the owner to free.
    var values: Dictionary<String, Value>.Values { bySQL.values }

    /// Returns the value stored for `sql`, or nil.
    mutating func value(for sql: String) -> Value? {
        let address = Self.address(of: sql)
        if address != 0, let entry = byAddress[address], entry.sql == sql {
            return entry.value
        }
        guard let value = bySQL[sql] else {
            return nil
        }
        remember(value, for: sql, at: address)
        return value
    }

    /// Stores `value` for `sql`.
    mutating func store(_ value: Value, for sql: String) {
        bySQL[sql] = value
        remember(value, for: sql, at: Self.address(of: sql))
    }

    private mutating func remember(_ value: Value, for sql: String, at address: UInt) {
        guard address != 0 else {
            return
        }
        if byAddress.count >= Self.maxAddressEntries {
            byAddress.removeAll(keepingCapacity: true)
        }
        // The entry keeps `sql` alive, so no other string can take its address while the entry exists.
        byAddress[address] = (sql, value)
    }

    private static func address(of sql: String) -> UInt {
        sql.utf8.withContiguousStorageIfAvailable { bytes in UInt(bitPattern: bytes.baseAddress) } ?? 0
    }
}
