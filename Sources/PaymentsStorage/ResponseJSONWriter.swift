/// A JSON writer that appends to a byte buffer the exact text `JSONEncoder` with `.sortedKeys` produces.
///
/// Stored idempotency responses are written on every mutating call that has a key and read back with
/// `JSONDecoder` only on replay, so this writer replaces the encoder on the hot path. Its output matches
/// the `JSONEncoder` of swift-foundation in Swift 6.3.1 byte for byte. That means no whitespace and
/// integers in decimal. Strings are UTF-8 with `"`, `\` and `/` escaped, `\b \f \n \r \t` as short escapes
/// and the other control characters as `\u00XX` in lower-case hex. Everything else, including DEL and
/// non-ASCII, is written as is, which RFC 8259 allows.
///
/// The writer does not sort keys, so callers write an object's keys in ascending byte order, as
/// `.sortedKeys` does. ``writeKey(_:)`` and ``writeArray(_:_:)`` add the commas.
struct ResponseJSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next key is the first of its object, so it gets no leading comma.
    private var isFirstMember = false

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        isFirstMember = true
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        isFirstMember = false
    }

    /// Writes `"key":`, preceded by a comma unless it is the object's first key.
    ///
    /// `key` is written without escaping, so it must be ASCII without `"`, `\`, `/` or control characters.
    mutating func writeKey(_ key: StaticString) {
        assert(key.isASCII, "JSON key \(key) is not ASCII")
        if !isFirstMember {
            bytes.append(UInt8(ascii: ","))
        }
        isFirstMember = false

        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func writeField(_ key: StaticString, _ value: String) {
        writeKey(key)
        writeString(value)
    }

    mutating func writeField(_ key: StaticString, _ value: Int64) {
        writeKey(key)
        writeInteger(value)
    }

    /// Writes `elements` as a JSON array, calling `writeElement` for each one.
    mutating func writeArray<Element>(_ elements: [Element], _ writeElement: (inout Self, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 {
                bytes.append(UInt8(ascii: ","))
            }
            writeElement(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
        isFirstMember = false
    }

    /// Writes `value` in decimal with a leading `-` when negative, as `JSONEncoder` writes an `Int64`.
    mutating func writeInteger(_ value: Int64) {
        bytes.appendDecimal(value)
    }

    /// Writes `value` as a quoted JSON string, copying runs of bytes that need no escape in one step.
    mutating func writeString(_ value: String) {
        var value = value
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices where Self.needsEscape(utf8[index]) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                writeEscape(of: utf8[index])
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }

    private mutating func writeEscape(of byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            bytes.append(byte)
        case 0x08:
            bytes.append(UInt8(ascii: "b"))
        case 0x09:
            bytes.append(UInt8(ascii: "t"))
        case 0x0A:
            bytes.append(UInt8(ascii: "n"))
        case 0x0C:
            bytes.append(UInt8(ascii: "f"))
        case 0x0D:
            bytes.append(UInt8(ascii: "r"))
        default:
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0x0F))
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}

extension [UInt8] {
    /// Appends `value` in decimal ASCII digits, with a leading `-` when negative and no leading zeros.
    mutating func appendDecimal(_ value: Int64) {
        // The digits are written to a stack buffer and appended in one copy, which takes about a quarter of the
        // instructions of appending them one by one.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DecimalText.maximumLength) { buffer in
            let length = DecimalText.write(value, to: UnsafeMutableRawPointer(buffer.baseAddress!))
            append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<length]))
        }
    }
}

/// Decimal ASCII text of an `Int64`, as JSON and PostgreSQL's text parameters take it.
enum DecimalText {
    /// Bytes of the longest text, `Int64.min`: 19 digits and a sign.
    static let maximumLength = 20

    /// Writes `value` at `destination` with a leading `-` when negative and no leading zeros, and returns the
    /// number of bytes written, at most ``maximumLength``.
    static func write(_ value: Int64, to destination: UnsafeMutableRawPointer) -> Int {
        // The magnitude is a UInt64, so `Int64.min` needs no special case.
        var remaining = value.magnitude
        var length = value < 0 ? 2 : 1
        var higherDigits = remaining / 10
        while higherDigits > 0 {
            length += 1
            higherDigits /= 10
        }

        var index = length
        repeat {
            index -= 1
            destination.storeBytes(of: UInt8(ascii: "0") + UInt8(remaining % 10), toByteOffset: index, as: UInt8.self)
            remaining /= 10
        } while remaining > 0
        if value < 0 {
            destination.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self)
        }
        return length
    }
}
