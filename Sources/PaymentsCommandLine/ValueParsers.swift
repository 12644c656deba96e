/// Parsers for the option values that the server and the CLI share.
public enum ValueParsers {
    /// Parses a duration such as `500ms`, `30s`, `5m`, `24h` or `7d`.
    ///
    /// A bare number is not accepted, so that the unit is never guessed.
    /// Returns nil for anything else, including negative values and overflow.
    public static func duration(_ text: String) -> Duration? {
        let units: [(suffix: String, milliseconds: Int64)] = [
            ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
        ]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let count = Int64(number), count >= 0 else {
                continue
            }
            let (milliseconds, overflow) = count.multipliedReportingOverflow(by: unit.milliseconds)
            guard !overflow else {
                return nil
            }
            return .milliseconds(milliseconds)
        }
        return nil
    }

    /// Parses a byte size such as `4096`, `64KiB`, `4MiB` or `1GiB`.
    ///
    /// Returns nil for anything else, including values above `Int32.max`, since
    /// every size on the wire is a 32-bit length.
    public static func byteSize(_ text: String) -> Int? {
        let units: [(suffix: String, factor: Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("", 1)]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy(\.isASCII), let count = Int(number), count >= 0 else {
                continue
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: unit.factor)
            guard !overflow, bytes <= Int(Int32.max) else {
                return nil
            }
            return bytes
        }
        return nil
    }

    /// Splits `HOST:PORT` (or `[IPv6]:PORT`) into its parts; returns nil when the port is not 0–65535.
    public static func hostAndPort(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else {
            return nil
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65_535).contains(port), !host.isEmpty else {
            return nil
        }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        return (host, port)
    }
}
