/// Exact conversions between decimal text and integer minor units, and the limits on amounts.
///
/// No floating point is involved: "150.00" USD is read digit by digit as 15000 cents.
public enum Money {
    /// Largest amount of one payment, refund or order total, in minor units of any currency.
    ///
    /// 10^15 minor units is ten trillion US dollars; the bound keeps every sum of an order far below
    /// `Int64.max`, so balance arithmetic cannot overflow.
    public static let maximumMinorUnits: Int64 = 1_000_000_000_000_000

    /// Parses a decimal string such as `150.00` into minor units of `currency`.
    ///
    /// Accepts ASCII digits with at most one `.` followed by at most `currency.exponent` digits; fewer are
    /// padded ("150.5" USD is 15050). Signs, spaces, exponents and digit separators are rejected.
    /// - Throws: ``PaymentError`` `INVALID_AMOUNT` for malformed text, more decimals than the currency has,
    ///   zero, or more than ``maximumMinorUnits``; never rounds.
    public static func parseAmount(_ text: String, currency: Currency, field: String = "amount") throws(PaymentError)
        -> Int64
    {
        switch minorUnits(parsing: text, currency: currency) {
        case .success(let value):
            return value
        case .failure(let problem):
            throw amountError(problem, text: text, currency: currency, field: field)
        }
    }

    /// Returns the `INVALID_AMOUNT` error that ``parseAmount(_:currency:field:)`` throws for `problem` with `text`.
    public static func amountError(_ problem: AmountProblem, text: String, currency: Currency, field: String)
        -> PaymentError
    {
        let quotedText = Validation.quoted(text)
        switch problem {
        case .notDecimal:
            return .invalidAmount(
                field, "\(quotedText) is not a decimal number; write digits with an optional '.', e.g. 150.00")
        case .noDigitsAfterPoint:
            return .invalidAmount(
                field, "\(quotedText) is not a decimal number; write digits after the '.', e.g. 150.00")
        case .tooManyDecimals(let count):
            return .invalidAmount(
                field,
                "\(quotedText) has \(count) decimal digits but \(currency.code) has \(currency.exponent); "
                    + "amounts are never rounded",
                details: ["currency": currency.code, "exponent": String(currency.exponent)])
        case .zero:
            return notPositive(0, field: field)
        case .aboveMaximum:
            return .invalidAmount(
                field,
                "\(quotedText) \(currency.code) is above the maximum of "
                    + "\(format(maximumMinorUnits, currency: currency)) \(currency.code)")
        }
    }

    /// The reason decimal text is not an amount, so that each language can word it.
    public enum AmountProblem: Error, Sendable, Equatable {
        /// Not ASCII digits with at most one `.`.
        case notDecimal
        /// A `.` with no digits after it.
        case noDigitsAfterPoint
        /// More decimal digits, the associated count, than the currency has.
        case tooManyDecimals(Int)
        /// Zero, which never means the whole amount.
        case zero
        /// More than ``Money/maximumMinorUnits``.
        case aboveMaximum
    }

    /// Parses decimal text into minor units of `currency` by the rules of ``parseAmount(_:currency:field:)``, and
    /// returns the first rule it breaks instead of an error message.
    public static func minorUnits(parsing text: String, currency: Currency) -> Result<Int64, AmountProblem> {
        let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else {
            return .failure(.notDecimal)
        }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || (!fraction.isEmpty && fraction.allSatisfy(\.isASCIIDigit)) else {
            return .failure(.noDigitsAfterPoint)
        }
        guard fraction.count <= currency.exponent else {
            return .failure(.tooManyDecimals(fraction.count))
        }

        var value: Int64 = 0
        let digits = whole + fraction + String(repeating: "0", count: currency.exponent - fraction.count)
        for digit in digits.utf8 {
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
            guard value <= maximumMinorUnits else {
                return .failure(.aboveMaximum)
            }
        }
        return value == 0 ? .failure(.zero) : .success(value)
    }

    /// Formats minor units as a decimal string with exactly `currency.exponent` decimals: 15000 USD is "150.00".
    ///
    /// Negative values get a leading `-`; any `Int64` is accepted.
    public static func format(_ minorUnits: Int64, currency: Currency) -> String {
        let magnitude = minorUnits.magnitude
        var digits = String(magnitude)
        if digits.count <= currency.exponent {
            digits = String(repeating: "0", count: currency.exponent - digits.count + 1) + digits
        }
        let sign = minorUnits < 0 ? "-" : ""
        guard currency.exponent > 0 else {
            return sign + digits
        }
        let split = digits.index(digits.endIndex, offsetBy: -currency.exponent)
        return sign + digits[..<split] + "." + digits[split...]
    }

    /// Checks that an amount is above zero and at most ``maximumMinorUnits``.
    ///
    /// - Throws: ``PaymentError`` `INVALID_AMOUNT` naming `field`.
    public static func validate(_ minorUnits: Int64, field: String = "amount_minor_units") throws(PaymentError) {
        guard minorUnits > 0 else {
            throw notPositive(minorUnits, field: field)
        }
        guard minorUnits <= maximumMinorUnits else {
            throw .invalidAmount(field, "must be at most \(maximumMinorUnits) minor units, got \(minorUnits)")
        }
    }

    private static func notPositive(_ minorUnits: Int64, field: String) -> PaymentError {
        .invalidAmount(field, "must be above 0, got \(minorUnits); 0 never means the whole amount")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
