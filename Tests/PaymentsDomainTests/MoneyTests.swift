import Testing

@testable import PaymentsDomain

@Suite("Money")
struct MoneyTests {
    @Test(
        "parse valid amounts",
        arguments: [
            ("150.00", "USD", Int64(15000)), ("150.5", "USD", 15050), ("150", "USD", 15000), ("0.01", "USD", 1),
            ("500", "JPY", 500), ("92.000", "KWD", 92000), ("1.234", "KWD", 1234), ("1.2345", "CLF", 12345),
            ("007.10", "EUR", 710),
        ])
    func parseValid(text: String, code: String, expected: Int64) throws {
        let currency = try Currency(code: code)

        #expect(try Money.parseAmount(text, currency: currency) == expected)
    }

    @Test(
        "parse rejects bad amounts",
        arguments: [
            ("87.957975", "USD"), ("500.5", "JPY"), ("500.0", "JPY"), ("1.2345", "KWD"), ("0", "USD"),
            ("0.00", "USD"), ("-100", "USD"), ("+1", "USD"), ("", "USD"), (".5", "USD"), ("5.", "USD"),
            ("1,000.00", "USD"), ("1e3", "USD"), (" 1", "USD"), ("1.2.3", "USD"), ("١٢", "USD"),
            ("10000000000000.01", "USD"), ("99999999999999999999999", "USD"),
        ])
    func parseInvalid(text: String, code: String) throws {
        let currency = try Currency(code: code)

        let error = #expect(throws: PaymentError.self) { try Money.parseAmount(text, currency: currency) }
        #expect(error?.code == .invalidAmount)
    }

    @Test("parse accepts the maximum exactly")
    func parseMaximum() throws {
        let usd = try Currency(code: "USD")

        #expect(try Money.parseAmount("10000000000000.00", currency: usd) == Money.maximumMinorUnits)
    }

    @Test(
        "format amounts",
        arguments: [
            (Int64(15000), "USD", "150.00"), (1, "USD", "0.01"), (0, "USD", "0.00"), (500, "JPY", "500"),
            (92000, "KWD", "92.000"), (5, "CLF", "0.0005"), (-250, "EUR", "-2.50"),
            (Int64.min, "USD", "-92233720368547758.08"),
        ])
    func format(minorUnits: Int64, code: String, expected: String) throws {
        #expect(Money.format(minorUnits, currency: try Currency(code: code)) == expected)
    }

    @Test("format then parse round-trips")
    func roundTrip() throws {
        for code in ["USD", "JPY", "KWD", "CLF"] {
            let currency = try Currency(code: code)
            for value: Int64 in [1, 9, 10, 99, 100, 12345, 1_000_000, Money.maximumMinorUnits] {
                #expect(try Money.parseAmount(Money.format(value, currency: currency), currency: currency) == value)
            }
        }
    }

    @Test(
        "validate rejects zero, negative and too large",
        arguments: [Int64(0), -1, -100, Money.maximumMinorUnits + 1, .max, .min])
    func validateInvalid(value: Int64) {
        let error = #expect(throws: PaymentError.self) { try Money.validate(value) }
        #expect(error?.code == .invalidAmount)
    }
}

@Suite("Currency")
struct CurrencyTests {
    @Test(
        "exponents from the table",
        arguments: [
            ("USD", 2), ("EUR", 2), ("JPY", 0), ("KRW", 0), ("CLP", 0), ("BHD", 3), ("IQD", 3), ("JOD", 3),
            ("KWD", 3), ("LYD", 3), ("OMR", 3), ("TND", 3), ("CLF", 4),
        ])
    func exponent(code: String, expected: Int) throws {
        #expect(try Currency(code: code).exponent == expected)
    }

    @Test("unknown codes are INVALID_CURRENCY", arguments: ["usd", "XYZ", "", "US", "USDD", "XAU"])
    func unknown(code: String) {
        let error = #expect(throws: PaymentError.self) { try Currency(code: code) }
        #expect(error?.code == .invalidCurrency)
    }

    @Test("lower case suggests upper case")
    func lowerCaseHint() {
        let error = #expect(throws: PaymentError.self) { try Currency(code: "eur") }
        #expect(error?.message.contains("'EUR'") == true)
    }
}
