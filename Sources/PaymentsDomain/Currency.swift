/// An ISO 4217 currency: its three-letter code and the number of decimal digits of its minor unit.
///
/// Only codes of the built-in table exist: `Currency(code:)` rejects the rest, so every `Currency` value
/// has a known exponent.
public struct Currency: Sendable, Hashable, CustomStringConvertible {
    /// Upper-case ISO 4217 code, for example `USD`.
    public let code: String
    /// Decimal digits of the minor unit: 2 for USD (cents), 0 for JPY, 3 for KWD (fils).
    public let exponent: Int

    /// Looks up an upper-case ISO 4217 code in the table.
    ///
    /// - Throws: ``PaymentError`` `INVALID_CURRENCY` when the code is not in the table, including lower-case
    ///   spellings, which are rejected so that one currency has one spelling in stored requests.
    public init(code: String) throws(PaymentError) {
        guard let exponent = Currency.exponents[code] else {
            var message = "currency '\(code.prefix(16))' is not an active ISO 4217 code"
            if Currency.exponents[code.uppercased()] != nil {
                message += "; send it in upper case: '\(code.uppercased())'"
            }
            throw PaymentError(.invalidCurrency, message, details: ["currency": String(code.prefix(16))])
        }
        self.code = code
        self.exponent = exponent
    }

    public var description: String { code }

    /// Version of the exponent table; raised whenever a code is added, retired or changes exponent.
    public static let tableVersion = 1

    /// Every code of the table, sorted.
    public static var allCodes: [String] { exponents.keys.sorted() }

    /// Codes whose minor unit has no decimal digits.
    static let exponentZero: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF",
        "XOF", "XPF",
    ]

    static let exponentThree: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    static let exponentFour: Set<String> = ["CLF", "UYW"]

    /// Active codes with two decimal digits. Fund and precious-metal codes without a minor unit (XAU, XDR, …)
    /// are left out because no payment is made in them.
    // NOTE: the list follows the ISO 4217 active-code list of 2025 as remembered when writing (XCG and ZWG in;
    // ANG, HRK, SLL, ZWL and CUC out); check it against the current ISO amendment before adding codes.
    static let exponentTwo: Set<String> = [
        "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD", "BND",
        "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CNY", "COP",
        "COU", "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
        "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD",
        "KES", "KGS", "KHR", "KPW", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD",
        "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK",
        "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD", "SCR",
        "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT",
        "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "USN", "UYU", "UZS", "VED", "VES", "WST", "XCD", "XCG",
        "YER", "ZAR", "ZMW", "ZWG",
    ]

    static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        for code in exponentTwo { table[code] = 2 }
        for code in exponentZero { table[code] = 0 }
        for code in exponentThree { table[code] = 3 }
        for code in exponentFour { table[code] = 4 }
        return table
    }()
}
