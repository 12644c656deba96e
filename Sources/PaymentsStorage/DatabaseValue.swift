import PaymentsDomain

/// A statement parameter, bound with its type on SQLite and sent as text on PostgreSQL.
enum DatabaseValue: Sendable {
    case integer(Int64)
    case text(String)
    case null

    static func optional(_ value: Int64?) -> DatabaseValue {
        value.map { .integer($0) } ?? .null
    }
}

/// One result row as text columns, the form both drivers return; `nil` is SQL NULL.
struct DatabaseRow: Sendable {
    var columns: [String?]

    func text(_ index: Int) -> String {
        columns[index] ?? ""
    }

    func optionalInteger(_ index: Int) throws(PaymentError) -> Int64? {
        guard let text = columns[index] else {
            return nil
        }
        guard let value = Int64(text) else {
            throw PaymentError(.internal, "stored column \(index) is not an integer; the database is corrupt")
        }
        return value
    }

    func integer(_ index: Int) throws(PaymentError) -> Int64 {
        guard let value = try optionalInteger(index) else {
            throw PaymentError(.internal, "stored column \(index) is NULL where a number is required")
        }
        return value
    }

    func enumeration<T: RawRepresentable<String>>(_ index: Int, as type: T.Type) throws(PaymentError) -> T {
        guard let value = T(rawValue: text(index)) else {
            throw PaymentError(.internal, "stored value '\(text(index))' is not a valid \(T.self)")
        }
        return value
    }
}
