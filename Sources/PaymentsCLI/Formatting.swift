import Foundation
internal import PaymentsDomain
internal import ProtoRuntime

/// Text renderings shared by the tables and the event lines.
enum Formatting {
    /// Formats minor units as decimal text with the currency code, such as `150.00 USD`.
    ///
    /// An unknown currency code falls back to the raw minor units, so output never fails.
    static func amount(_ minorUnits: Int64, currency code: String) -> String {
        guard let currency = try? Currency(code: code) else {
            return "\(minorUnits) (minor units) \(code)"
        }
        return "\(Money.format(minorUnits, currency: currency)) \(currency.code)"
    }

    /// Formats microseconds since the Unix epoch as an ISO 8601 UTC time; `-` for 0.
    static func time(unixMicros: Int64) -> String {
        guard unixMicros != 0 else {
            return "-"
        }
        let date = Date(timeIntervalSince1970: Double(unixMicros) / 1_000_000)
        return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false)) + "Z"
    }

    /// Lays out rows as left-aligned columns separated by two spaces.
    static func table(headers: [String], rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            return padded.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// Serializes a JSON object on one line with sorted keys, or `{}` when it contains a value JSON cannot show.
    static func jsonLine(_ object: [String: Any]) -> String {
        protoJSONLine(object) ?? "{}"
    }
}
