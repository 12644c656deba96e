import Foundation
import PaymentsDomain
import Testing

@testable import PaymentsStorage

/// One value of a parameterized test with a readable case name.
struct ResponseSample<Value: Sendable>: Sendable, CustomTestStringConvertible {
    var name: String
    var value: Value

    var testDescription: String { name }
}

/// Payments and refund outcomes that cover every field, enum case and hard string of a stored response.
enum ResponseSamples {
    /// Text that needs escaping or multi-byte UTF-8, each placed in every string field of a sample.
    static let texts: [(name: String, text: String)] = [
        ("empty", ""),
        ("quotes", #"say "hello" and "bye""#),
        ("backslashes", #"C:\temp\new \\ end\"#),
        ("slashes", "a/b </script> //"),
        ("every control character", String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })),
        ("short escapes", "\u{8}\u{C}\n\r\t"),
        ("NUL inside", "before\u{0}after"),
        ("DEL", "\u{7F}"),
        ("Latin accents", "Café déjà vu, Ünïcödé, ñ"),
        ("CJK and RTL", "支払い 결제 دفع תשלום"),
        ("emoji", "💳 paid 👍🏽 👨‍👩‍👧‍👦 🇩🇪"),
        ("combining mark", "e\u{301} a\u{30A}"),
        ("line and paragraph separators", "one\u{2028}two\u{2029}three"),
        ("byte order mark", "\u{FEFF}start"),
        ("C1 control", "next\u{85}line"),
        ("every escape at once", "\"\\/\u{0}\u{8}\u{C}\n\r\t\u{1F}\u{7F}é😀"),
        ("long mixed", String(repeating: "ab\"c\\d/é😀\n", count: 300)),
    ]

    /// Integers at and near the bounds of `Int64` and around digit-count changes.
    static let integers: [Int64] = [
        .min, .min + 1, -1_000_000_000_000, -10, -9, -1, 0, 1, 9, 10, 99, 100, 1_000_000_007, .max - 1, .max,
    ]

    static var payments: [ResponseSample<Payment>] {
        var samples = [
            ResponseSample(name: "every field unset", value: unsetPayment),
            ResponseSample(name: "every field set", value: setPayment),
        ]
        for status in PaymentStatus.allCases {
            for method in PaymentMethod.allCases {
                for gateway in Gateway.allCases {
                    var payment = setPayment
                    payment.status = status
                    payment.method = method
                    payment.gateway = gateway
                    samples.append(
                        ResponseSample(
                            name: "\(status.rawValue) \(method.rawValue) \(gateway.rawValue)", value: payment))
                }
            }
        }
        for (name, text) in texts {
            samples.append(ResponseSample(name: "text \(name)", value: payment(text: text, integer: 1)))
        }
        for integer in integers {
            samples.append(ResponseSample(name: "integer \(integer)", value: payment(text: "x", integer: integer)))
        }
        return samples
    }

    static var refundOutcomes: [ResponseSample<RefundOutcome>] {
        var samples = [
            ResponseSample(
                name: "every field unset",
                value: RefundOutcome(payment: unsetPayment, refund: refund(text: "", integer: 0))),
            ResponseSample(
                name: "every field set", value: RefundOutcome(payment: setPayment, refund: setPayment.refunds[0])),
        ]
        for status in PaymentStatus.allCases {
            var payment = setPayment
            payment.status = status
            samples.append(
                ResponseSample(
                    name: "status \(status.rawValue)",
                    value: RefundOutcome(payment: payment, refund: payment.refunds[1])))
        }
        for (name, text) in texts {
            let payment = payment(text: text, integer: 1)
            samples.append(
                ResponseSample(name: "text \(name)", value: RefundOutcome(payment: payment, refund: payment.refunds[0]))
            )
        }
        for integer in integers {
            let payment = payment(text: "x", integer: integer)
            samples.append(
                ResponseSample(
                    name: "integer \(integer)", value: RefundOutcome(payment: payment, refund: payment.refunds[0])))
        }
        return samples
    }

    /// A payment with every field at its initializer default: empty text, zero times, no refunds.
    static let unsetPayment = Payment(
        paymentID: "", orderID: "", status: .pending, amountMinorUnits: 0, currency: "", method: .cash,
        gateway: .pos, createdAtMicros: 0)

    /// A payment with every field given a distinct value and two refunds.
    static let setPayment = Payment(
        paymentID: "pay_abcdefghijklmnopqrstuvwx", orderID: "ord-42", status: .partiallyRefunded,
        amountMinorUnits: 12_345, currency: "EUR", method: .card, gateway: .stripe,
        gatewayPaymentID: "pi_3Nq/x\"y", refundedMinorUnits: 3_000, failureCode: "card_declined",
        failureMessage: "Declined by issuer", createdAtMicros: 1_700_000_000_000_001,
        confirmedAtMicros: 1_700_000_000_500_002, failedAtMicros: 1_700_000_000_900_003,
        refunds: [
            Refund(
                refundID: "re_aaaaaaaaaaaaaaaaaaaaaaaa", paymentID: "pay_abcdefghijklmnopqrstuvwx", orderID: "ord-42",
                amountMinorUnits: 1_000, currency: "EUR", reason: "damaged", createdAtMicros: 1_700_000_001_000_004),
            Refund(
                refundID: "re_bbbbbbbbbbbbbbbbbbbbbbbb", paymentID: "pay_abcdefghijklmnopqrstuvwx", orderID: "ord-42",
                amountMinorUnits: 2_000, currency: "EUR", reason: "", createdAtMicros: 1_700_000_002_000_005),
        ])

    /// Makes a payment with `text` in every string field and `integer` in every integer field, with two refunds.
    static func payment(text: String, integer: Int64) -> Payment {
        Payment(
            paymentID: text, orderID: text, status: .refunded, amountMinorUnits: integer, currency: text,
            method: .bankTransfer, gateway: .manual, gatewayPaymentID: text, refundedMinorUnits: integer,
            failureCode: text, failureMessage: text, createdAtMicros: integer, confirmedAtMicros: integer,
            failedAtMicros: integer, refunds: [refund(text: text, integer: integer), refund(text: "", integer: 0)])
    }

    /// Makes a refund with `text` in every string field and `integer` in every integer field.
    static func refund(text: String, integer: Int64) -> Refund {
        Refund(
            refundID: text, paymentID: text, orderID: text, amountMinorUnits: integer, currency: text, reason: text,
            createdAtMicros: integer)
    }

    /// `RefundOutcome(payment: setPayment, refund: setPayment.refunds[0])` as `JSONEncoder` with `.sortedKeys`
    /// wrote it in Swift 6.3.1, kept as text so a change in either encoder shows up.
    static let storedByEncoder = [
        #"{"payment":{"amountMinorUnits":12345,"confirmedAtMicros":1700000000500002"#,
        #","createdAtMicros":1700000000000001,"currency":"EUR","failedAtMicros":1700000000900003"#,
        #","failureCode":"card_declined","failureMessage":"Declined by issuer","gateway":"stripe""#,
        #","gatewayPaymentID":"pi_3Nq\/x\"y","method":"card","orderID":"ord-42""#,
        #","paymentID":"pay_abcdefghijklmnopqrstuvwx","refundedMinorUnits":3000"#,
        #","refunds":[{"amountMinorUnits":1000,"createdAtMicros":1700000001000004,"currency":"EUR""#,
        #","orderID":"ord-42","paymentID":"pay_abcdefghijklmnopqrstuvwx","reason":"damaged""#,
        #","refundID":"re_aaaaaaaaaaaaaaaaaaaaaaaa"},{"amountMinorUnits":2000"#,
        #","createdAtMicros":1700000002000005,"currency":"EUR","orderID":"ord-42""#,
        #","paymentID":"pay_abcdefghijklmnopqrstuvwx","reason":"""#,
        #","refundID":"re_bbbbbbbbbbbbbbbbbbbbbbbb"}],"status":"partially_refunded"}"#,
        #","refund":{"amountMinorUnits":1000,"createdAtMicros":1700000001000004,"currency":"EUR""#,
        #","orderID":"ord-42","paymentID":"pay_abcdefghijklmnopqrstuvwx","reason":"damaged""#,
        #","refundID":"re_aaaaaaaaaaaaaaaaaaaaaaaa"}}"#,
    ].joined()

    /// Encodes `value` as the stores did before ``ResponseJSONWriter``: `JSONEncoder` with `.sortedKeys`.
    static func foundationJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
