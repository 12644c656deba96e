import Testing

@testable import PaymentsStorage

@Suite("Statement cache")
struct StatementCacheTests {
    private static let longStatement = "SELECT " + Array(repeating: "column", count: 100).joined(separator: ", ")

    @Test("same text finds its value")
    func sameText() {
        var cache = StatementCache<Int>()
        cache.store(7, for: Self.longStatement)

        // Built anew, so the text is equal but its storage differs.
        let rebuilt = "SELECT " + Array(repeating: "column", count: 100).joined(separator: ", ")

        #expect(cache.value(for: Self.longStatement) == 7)
        #expect(cache.value(for: rebuilt) == 7)
        #expect(cache.value(for: "SELECT 1") == nil)
        #expect(cache.value(for: Self.longStatement + " ") == nil)
    }

    @Test("many texts stay correct past the address limit")
    func manyTexts() {
        var cache = StatementCache<Int>()
        let count = 3 * StatementCache<Int>.maxAddressEntries
        let statements = (0..<count).map { "SELECT \($0) FROM payments WHERE order_id = $1 AND payment_id = $2" }
        for (index, statement) in statements.enumerated() {
            cache.store(index, for: statement)
        }

        let found = statements.map { cache.value(for: $0) }
        let foundAgain = statements.map { cache.value(for: $0) }

        #expect(found == Array(0..<count))
        #expect(foundAgain == Array(0..<count))
        #expect(cache.values.count == count)
    }
}
