import Foundation
import PaymentsMessages
import ProtoRuntime
import RPCMessages
import Testing

@Suite("proto3 JSON objects")
struct ProtoJSONTests {
    @Test("payment uses .proto names, numbers and lower-case enums")
    func payment() throws {
        let object = PaymentsFixtures.payment.protoJSONObject()
        #expect(object["payment_id"] as? String == "pay_ü")
        #expect(object["status"] as? String == "partially_refunded")
        #expect(object["method"] as? String == "card")
        #expect(object["gateway"] as? String == "stripe")
        #expect(object["amount_minor_units"] as? Int64 == 15_000)
        #expect(object["failed_at_unix_micros"] as? Int64 == Int64.min)

        let refunds = try #require(object["refunds"] as? [[String: Any]])
        #expect(refunds.count == 2)
        #expect(refunds[1]["reason"] as? String == "razón: «devolución» 返金")
    }

    @Test("enum prefixes are stripped")
    func enumPrefixes() {
        #expect(Payment().protoJSONObject()["method"] as? String == "unspecified")
        #expect(HealthCheckResponse().protoJSONObject()["status"] as? String == "unknown")
        #expect(CallStatus(code: .invalidArgument).protoJSONObject()["code"] as? String == "invalid_argument")
        #expect(WatchEventsRequest(startFrom: .liveEnd).protoJSONObject()["start_from"] as? String == "live_end")
        #expect(Payment(status: .unrecognized(9)).protoJSONObject()["status"] as? Int32 == 9)
    }

    @Test("unset nested message is left out")
    func unsetMessage() {
        let object = RefundPaymentResponse(refund: Refund(refundID: "re_1")).protoJSONObject()
        #expect(object["payment"] == nil)
        #expect((object["refund"] as? [String: Any])?["refund_id"] as? String == "re_1")
    }

    @Test("serializes with JSONSerialization")
    func serializes() throws {
        let data = try JSONSerialization.data(
            withJSONObject: PaymentsFixtures.event.protoJSONObject(), options: [.sortedKeys])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"position\":9223372036854775807"))
        #expect(text.contains("\"status\":\"refunded\""))
        #expect(text.contains("\"event_id\":\"evt_9\""))
    }

    @Test(
        "Base64 of bytes",
        arguments: [
            ([UInt8](), ""), ([0x66], "Zg=="), ([0x66, 0x6F], "Zm8="), ([0x66, 0x6F, 0x6F], "Zm9v"),
            ([0xFF, 0xFE, 0xFD, 0x00], "//79AA=="),
        ])
    func base64(bytes: [UInt8], expected: String) {
        #expect(protoJSONBase64(bytes) == expected)
    }
}
