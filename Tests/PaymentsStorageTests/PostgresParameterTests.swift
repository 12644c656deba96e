import Testing

@testable import PaymentsStorage

/// Checks the NUL-terminated text that ``PostgresConnection/withParameterValues(_:_:)`` hands to libpq.
@Suite struct PostgresParameterTests {
    /// Returns the values as libpq reads them: nil for SQL NULL, else the text up to the NUL.
    private static func texts(of parameters: [DatabaseValue]) -> [String?] {
        PostgresConnection.withParameterValues(parameters) { count, values in
            (0..<Int(count)).map { index in values?[index].map { String(cString: $0) } }
        }
    }

    @Test func integersAreDecimalText() {
        let texts = Self.texts(of: [.integer(0), .integer(7), .integer(-12), .integer(.max), .integer(.min)])
        #expect(texts == ["0", "7", "-12", "9223372036854775807", "-9223372036854775808"])
    }

    @Test func textKeepsItsBytes() {
        let texts = Self.texts(of: [
            .text(""), .text("order-1"), .text("café ✓"), .text(String(repeating: "x", count: 300)),
        ])
        #expect(texts == ["", "order-1", "café ✓", String(repeating: "x", count: 300)])
    }

    @Test func nullIsNilPointer() {
        let texts = Self.texts(of: [.null, .text("a"), .null, .integer(1), .null])
        #expect(texts == [nil, "a", nil, "1", nil])
        #expect(Self.texts(of: [.null, .null]) == [nil, nil])
        #expect(Self.texts(of: []).isEmpty)
    }
}
