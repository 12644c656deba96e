/// Checks of caller-supplied text fields; each throws ``PaymentError`` `INVALID_ARGUMENT` naming the field.
public enum Validation {
    /// Maximum length of an order id, in characters.
    public static let maximumOrderIDLength = 64
    /// Maximum length of a gateway payment id, in characters.
    public static let maximumGatewayPaymentIDLength = 255
    /// Maximum length of a refund reason, in characters.
    public static let maximumReasonLength = 256
    /// Maximum length of a failure code, in characters.
    public static let maximumFailureCodeLength = 64
    /// Maximum length of a failure message, in characters.
    public static let maximumFailureMessageLength = 1024
    /// Maximum length of an idempotency key or scope, in characters.
    public static let maximumIdempotencyKeyLength = 255

    /// Checks an order id: 1 to 64 characters of `A-Z a-z 0-9 _ - . :`.
    public static func checkOrderID(_ orderID: String) throws(PaymentError) {
        guard (1...maximumOrderIDLength).contains(orderID.utf8.count),
            orderID.withUTF8Bytes({ $0.allSatisfy(isOrderIDByte) })
        else {
            throw .invalidArgument(
                "order_id",
                "\(quoted(orderID)) is invalid; use 1 to \(maximumOrderIDLength) characters of A-Z a-z 0-9 _ - . :"
            )
        }
    }

    /// Checks a payment id: `pay_` and 24 base32 characters, as ``RandomID`` makes them.
    public static func checkPaymentID(_ paymentID: String) throws(PaymentError) {
        guard RandomID.isWellFormed(paymentID, .payment) else {
            throw .invalidArgument(
                "payment_id", "\(quoted(paymentID)) is not a payment id; ids look like pay_ and 24 characters")
        }
    }

    /// Checks a gateway payment id: required for cards, at most 255 visible ASCII characters without spaces.
    public static func checkGatewayPaymentID(_ value: String, method: PaymentMethod) throws(PaymentError) {
        if value.isEmpty {
            guard !method.requiresGatewayPaymentID else {
                throw .invalidArgument(
                    "gateway_payment_id", "is missing; \(method.rawValue) payments need the gateway's payment id")
            }
            return
        }
        guard value.utf8.count <= maximumGatewayPaymentIDLength, value.withUTF8Bytes({ $0.allSatisfy(isVisibleASCII) })
        else {
            throw .invalidArgument(
                "gateway_payment_id",
                "\(quoted(value)) is invalid; use at most \(maximumGatewayPaymentIDLength) visible ASCII characters without spaces"
            )
        }
    }

    /// Checks free text: at most `maximum` characters, no control characters; `required` rejects empty text.
    public static func checkText(_ value: String, field: String, maximum: Int, required: Bool = false)
        throws(PaymentError)
    {
        if required && value.isEmpty {
            throw .invalidArgument(field, "is missing; send 1 to \(maximum) characters")
        }
        guard value.count <= maximum else {
            throw .invalidArgument(field, "has \(value.count) characters; send at most \(maximum)")
        }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidArgument(field, "contains a control character; send printable text")
        }
    }

    /// Checks an idempotency key or scope: 1 to 255 visible ASCII characters.
    public static func checkIdempotencyKey(_ value: String, field: String) throws(PaymentError) {
        guard (1...maximumIdempotencyKeyLength).contains(value.utf8.count),
            value.withUTF8Bytes({ $0.allSatisfy(isVisibleASCII) })
        else {
            throw .invalidArgument(
                field, "is invalid; use 1 to \(maximumIdempotencyKeyLength) visible ASCII characters without spaces")
        }
    }

    /// Quotes the first 80 characters of a rejected value for an error message, with control characters
    /// written as `\u{…}` escapes, so that a tab or a newline in the value cannot break the message's line.
    static func quoted(_ value: String) -> String {
        var text = "'"
        for scalar in value.prefix(80).unicodeScalars {
            if scalar.properties.generalCategory == .control {
                text += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text + "'"
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte)
    }

    private static func isOrderIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: ":"):
            true
        default:
            false
        }
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes: in place for a native string, else from a copy.
    ///
    /// The checks above run on every call, and reading bytes from a buffer is about three times faster than
    /// iterating `utf8`.
    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = utf8.withContiguousStorageIfAvailable(body) {
            return result
        }
        return Array(utf8).withUnsafeBufferPointer(body)
    }
}
