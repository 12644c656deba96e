import Foundation
import PaymentsDomain
import Testing

@testable import PaymentsStorage

/// Checks ``ResponseJSONWriter`` against the `JSONEncoder` it replaced and against `JSONDecoder`.
///
/// Each sample is checked two ways: the whole text must equal `JSONEncoder` with `.sortedKeys` byte for byte
/// (same key order, no whitespace, same escapes including `\/`), and `JSONDecoder` must read the text back to
/// a value equal to the input. The first check also fails when a stored type gains a property the writer
/// misses. The escape and integer tables compare with hand-written RFC 8259 text, so they do not depend on
/// Foundation's choices.
@Suite("Stored response JSON")
struct StoredResponseTests {
    @Test("payment text", arguments: ResponseSamples.payments)
    func payment(sample: ResponseSample<Payment>) throws {
        let text = sample.value.storedJSON
        let encoded = try ResponseSamples.foundationJSON(sample.value)

        #expect(text == encoded)
        #expect(try Payment.decodeStoredJSON(text) == sample.value)
    }

    @Test("refund outcome text", arguments: ResponseSamples.refundOutcomes)
    func refundOutcome(sample: ResponseSample<RefundOutcome>) throws {
        let text = sample.value.storedJSON
        let encoded = try ResponseSamples.foundationJSON(sample.value)

        #expect(text == encoded)
        #expect(try RefundOutcome.decodeStoredJSON(text) == sample.value)
    }

    @Test(
        "string escapes",
        arguments: [
            ("", #""""#),
            ("plain text", #""plain text""#),
            (#"a"b"#, #""a\"b""#),
            (#"a\b"#, #""a\\b""#),
            ("a/b", #""a\/b""#),
            ("\u{8}\u{C}\n\r\t", #""\b\f\n\r\t""#),
            ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
            ("x\u{1B}[0m", #""x\u001b[0m""#),
            ("\u{7F}", "\"\u{7F}\""),
            ("é€😀", "\"é€😀\""),
            ("\u{2028}\u{2029}", "\"\u{2028}\u{2029}\""),
        ])
    func stringEscapes(input: String, expected: String) throws {
        var writer = ResponseJSONWriter(capacity: 0)
        writer.writeString(input)

        #expect(writer.text == expected)
        #expect(try JSONDecoder().decode(String.self, from: Data(writer.text.utf8)) == input)
    }

    @Test("each control character", arguments: 0..<0x20)
    func controlCharacter(code: Int) throws {
        let input = String(Character(Unicode.Scalar(UInt8(code))))
        let shortEscapes: [Int: String] = [0x08: #"\b"#, 0x09: #"\t"#, 0x0A: #"\n"#, 0x0C: #"\f"#, 0x0D: #"\r"#]
        let hex = String(code, radix: 16)
        let escape = shortEscapes[code] ?? #"\u00"# + String(repeating: "0", count: 2 - hex.count) + hex

        var writer = ResponseJSONWriter(capacity: 0)
        writer.writeString(input)

        #expect(writer.text == "\"\(escape)\"")
        #expect(try JSONDecoder().decode(String.self, from: Data(writer.text.utf8)) == input)
    }

    @Test("integers", arguments: ResponseSamples.integers)
    func integer(value: Int64) throws {
        var writer = ResponseJSONWriter(capacity: 0)
        writer.writeInteger(value)

        #expect(writer.text == String(value))
        #expect(try JSONDecoder().decode(Int64.self, from: Data(writer.text.utf8)) == value)
    }

    @Test("object and array punctuation")
    func punctuation() {
        var writer = ResponseJSONWriter(capacity: 0)
        writer.beginObject()
        writer.writeKey("a")
        writer.writeArray([Int64]()) { writer, value in writer.writeInteger(value) }
        writer.writeKey("b")
        writer.writeArray([1, -2, 3] as [Int64]) { writer, value in writer.writeInteger(value) }
        writer.writeKey("c")
        writer.beginObject()
        writer.endObject()
        writer.writeKey("d")
        writer.beginObject()
        writer.writeField("e", "f")
        writer.writeField("g", 7)
        writer.endObject()
        writer.writeField("h", "")
        writer.endObject()

        #expect(writer.text == #"{"a":[],"b":[1,-2,3],"c":{},"d":{"e":"f","g":7},"h":""}"#)
    }

    /// A response exactly as `JSONEncoder` stored it before the writer existed. The text is checked in, so
    /// this test keeps reading old rows even when a later Foundation changes its own output.
    @Test("row from JSONEncoder reads back")
    func storedByEncoder() throws {
        let stored = ResponseSamples.storedByEncoder
        let expected = RefundOutcome(
            payment: ResponseSamples.setPayment, refund: ResponseSamples.setPayment.refunds[0])

        #expect(try RefundOutcome.decodeStoredJSON(stored) == expected)
        #expect(expected.storedJSON == stored)
    }
}
