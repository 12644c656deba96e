import Foundation
import PaymentsMessages
import ProtoRuntime
import RPCMessages
import Testing

@Suite("proto3 JSON lines")
struct ProtoJSONLineTests {
    /// Returns what `JSONSerialization` writes for `object` with the options the CLI used before.
    static func foundationLine(_ object: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static let objects: [@Sendable () -> [String: Any]] = [
        { PaymentsFixtures.payment.protoJSONObject() },
        { PaymentsFixtures.event.protoJSONObject() },
        { PaymentsFixtures.refunds[1].protoJSONObject() },
        {
            ListPaymentsResponse(
                payments: [PaymentsFixtures.payment, Payment()], nextPageToken: "next", currency: "USD",
                orderTotalMinorUnits: 30_000, paidMinorUnits: Int64.min
            ).protoJSONObject()
        },
        { RefundPaymentResponse(payment: PaymentsFixtures.payment, refund: Refund()).protoJSONObject() },
        {
            WatchEventsRequest(startFrom: .position, afterPosition: 7, orderID: "o", eventTypes: ["a", "b/c"])
                .protoJSONObject()
        },
        { Payment(status: .unrecognized(9)).protoJSONObject() },
        { HealthCheckResponse(status: .serving).protoJSONObject() },
        { CallStatus(code: .invalidArgument, message: "bad \"value\"").protoJSONObject() },
        { ["name": "t", "scopes": ["payments:read", "payments:write"], "created": "2026-12-05T06:00:00Z"] },
        { ["flag": true, "off": false, "int": 7, "u32": UInt32.max, "u64": UInt64.max, "i32": Int32.min] },
        { ["empty_object": [String: Any](), "empty_array": [Any](), "nested": [["a": [1, 2]], ["b": []]]] },
    ]

    @Test("matches JSONSerialization for messages", arguments: 0..<objects.count)
    func matchesFoundation(index: Int) throws {
        let object = Self.objects[index]()
        #expect(protoJSONLine(object) == (try Self.foundationLine(object)))
    }

    @Test("escapes every ASCII character as JSONSerialization does")
    func escapesASCII() throws {
        for byte in UInt8(0)...UInt8(0x7F) {
            let object: [String: Any] = ["value": "a" + String(decoding: [byte], as: UTF8.self) + "z"]
            #expect(protoJSONLine(object) == (try Self.foundationLine(object)), "byte \(byte)")
        }
    }

    @Test("keeps non-ASCII text and slashes as they are")
    func nonASCII() throws {
        let object: [String: Any] = ["reason": "razón: «devolución» 返金 🙂 a/b \u{2028}"]
        #expect(protoJSONLine(object) == (try Self.foundationLine(object)))
        #expect(protoJSONLine(object)?.contains("a/b") == true)
    }

    @Test("keys sort by bytes")
    func keyOrder() {
        let object: [String: Any] = ["refunded_minor_units": 1, "refund_id": "r", "a": 2, "order_id": "o"]
        #expect(protoJSONLine(object) == #"{"a":2,"order_id":"o","refund_id":"r","refunded_minor_units":1}"#)
    }

    @Test("other value types go through JSONSerialization")
    func fallback() throws {
        let object: [String: Any] = ["ratio": 0.5, "name": "x"]
        #expect(protoJSONLine(object) == (try Self.foundationLine(object)))
    }
}
