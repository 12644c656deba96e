import Foundation

/// Serializes a JSON object on one line with its keys sorted, as `protoJSONObject()` builds them.
///
/// The output is what `JSONSerialization` writes with `.sortedKeys` and `.withoutEscapingSlashes` for keys
/// of ASCII letters, digits and underscores. Keys are ordered by their UTF-8 bytes, and strings are escaped
/// the same way: `"`, `\`, the short escapes `\b \f \n \r \t`, other control characters as `\u00xx`, and
/// everything else as is. `JSONSerialization` compares keys with locale-aware options, about 0.3 ms per
/// event on a 2-core test machine, too slow for `payments watch --json` on a busy event stream.
///
/// Values may be `String`, `Bool`, fixed-width integers, nested objects and arrays of those. An object
/// containing anything else is passed to `JSONSerialization` whole. Returns nil when that fails too.
public func protoJSONLine(_ object: [String: Any]) -> String? {
    var output: [UInt8] = []
    output.reserveCapacity(512)
    guard ProtoJSONLineWriter.append(object: object, to: &output) else {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }
    return String(decoding: output, as: UTF8.self)
}

private enum ProtoJSONLineWriter {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `object`; returns false, leaving `output` partly written, on a value of another type.
    static func append(object: [String: Any], to output: inout [UInt8]) -> Bool {
        output.append(UInt8(ascii: "{"))
        let keys = object.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, key) in keys.enumerated() {
            if index > 0 {
                output.append(UInt8(ascii: ","))
            }
            append(string: key, to: &output)
            output.append(UInt8(ascii: ":"))
            guard let value = object[key], append(value: value, to: &output) else {
                return false
            }
        }
        output.append(UInt8(ascii: "}"))
        return true
    }

    private static func append(value: Any, to output: inout [UInt8]) -> Bool {
        switch value {
        case let text as String:
            append(string: text, to: &output)
        case let flag as Bool:
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case let number as Int64:
            output.append(contentsOf: String(number).utf8)
        case let number as Int32:
            output.append(contentsOf: String(number).utf8)
        case let number as Int:
            output.append(contentsOf: String(number).utf8)
        case let number as UInt64:
            output.append(contentsOf: String(number).utf8)
        case let number as UInt32:
            output.append(contentsOf: String(number).utf8)
        case let nested as [String: Any]:
            return append(object: nested, to: &output)
        case let elements as [Any]:
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 {
                    output.append(UInt8(ascii: ","))
                }
                guard append(value: element, to: &output) else {
                    return false
                }
            }
            output.append(UInt8(ascii: "]"))
        default:
            return false
        }
        return true
    }

    private static func append(string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"):
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case UInt8(ascii: "\n"):
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"):
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"):
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
