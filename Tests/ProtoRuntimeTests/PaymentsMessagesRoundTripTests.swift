import PaymentsMessages
import ProtoRuntime
import Testing

/// Fully populated payments messages, shared by the round-trip, JSON and repetition tests.
enum PaymentsFixtures {
    static let refunds = [
        Refund(
            refundID: "re_1", paymentID: "pay_ü", amountMinorUnits: 1, currency: "KWD", reason: "partial_return",
            createdAtUnixMicros: Int64.max),
        Refund(
            refundID: "re_2", paymentID: "pay_ü", amountMinorUnits: Int64.min, currency: "JPY",
            reason: "razón: «devolución» 返金", createdAtUnixMicros: -1),
    ]

    static let payment = Payment(
        paymentID: "pay_ü", orderID: "order:2026-12.ñ", status: .partiallyRefunded, amountMinorUnits: 15_000,
        currency: "USD", method: .card, gateway: .stripe, gatewayPaymentID: "pi_3Mtw", refundedMinorUnits: 2,
        failureCode: "card_declined", failureMessage: "Tarjeta rechazada", createdAtUnixMicros: 1_733_000_000_000_000,
        confirmedAtUnixMicros: -9_000, failedAtUnixMicros: Int64.min, refunds: refunds)

    static let event = Event(
        eventID: "evt_9", type: "order.payment.refunded", position: Int64.max, occurredAtUnixMicros: -5,
        orderID: "o-1", paymentID: "pay_ü", status: .refunded, amountMinorUnits: 15_000, currency: "EUR",
        refundID: "re_2", refundAmountMinorUnits: 1_500, refundedMinorUnits: 15_000, failureCode: "none")

    /// One fully set value of every message of payments.proto, encoded and decoded by `roundTrip`.
    static let roundTrips: [@Sendable () throws -> Bool] = [
        { try roundTrip(refunds[1]) },
        { try roundTrip(payment) },
        {
            try roundTrip(
                RegisterPaymentRequest(
                    orderID: "o-1", method: .customerCredit, amountMinorUnits: Int64.max, currency: "CLF",
                    gateway: .internal, gatewayPaymentID: "g-ß", orderTotalMinorUnits: Int64.max - 1))
        },
        { try roundTrip(RegisterPaymentResponse(payment: payment)) },
        { try roundTrip(ConfirmPaymentRequest(orderID: "o-1", paymentID: "pay_1")) },
        { try roundTrip(ConfirmPaymentResponse(payment: payment)) },
        {
            try roundTrip(
                FailPaymentRequest(
                    orderID: "o", paymentID: "p", failureCode: "card_declined", failureMessage: "No hay fondos €"))
        },
        { try roundTrip(FailPaymentResponse(payment: payment)) },
        {
            try roundTrip(
                RefundPaymentRequest(
                    orderID: "o", paymentID: "p", amountMinorUnits: -1, currency: "BHD", reason: "🙂",
                    refundRemainder: true))
        },
        { try roundTrip(RefundPaymentResponse(payment: payment, refund: refunds[0])) },
        { try roundTrip(GetPaymentRequest(orderID: "o", paymentID: "p")) },
        { try roundTrip(GetPaymentResponse(payment: payment)) },
        { try roundTrip(ListPaymentsRequest(orderID: "o", pageSize: Int32.min, pageToken: "tok")) },
        {
            try roundTrip(
                ListPaymentsResponse(
                    payments: [payment, Payment(), payment], nextPageToken: "next", currency: "USD",
                    orderTotalMinorUnits: 30_000, paidMinorUnits: Int64.min))
        },
        {
            try roundTrip(
                WatchEventsRequest(
                    startFrom: .position, afterPosition: Int64.max, orderID: "o",
                    eventTypes: ["order.payment.refunded", "", "order.payment.fallé"]))
        },
        { try roundTrip(event) },
    ]

    /// Encodes and decodes `message` and returns whether the result equals it.
    static func roundTrip<Message: ProtoMessage>(_ message: Message) throws -> Bool {
        try Message(serializedBytes: message.serializedBytes()) == message
    }
}

@Suite("PaymentsMessages round trips")
struct PaymentsMessagesRoundTripTests {
    @Test("every message with every field set", arguments: 0..<PaymentsFixtures.roundTrips.count)
    func everyMessage(index: Int) throws {
        #expect(try PaymentsFixtures.roundTrips[index]())
    }

    @Test("payment keeps nested refunds in order")
    func nestedRefunds() throws {
        let decoded = try Payment(serializedBytes: PaymentsFixtures.payment.serializedBytes())
        #expect(decoded.refunds == PaymentsFixtures.refunds)
        #expect(decoded.refunds[1].reason == "razón: «devolución» 返金")
        #expect(decoded.refunds[1].amountMinorUnits == Int64.min)
        #expect(decoded.status == .partiallyRefunded)
    }

    @Test("absent nested message decodes as nil")
    func absentMessage() throws {
        let decoded = try RefundPaymentResponse(
            serializedBytes: RefundPaymentResponse(refund: Refund()).serializedBytes())
        #expect(decoded.payment == nil)
        #expect(decoded.refund == Refund())
    }

    @Test("unrecognized enum values survive")
    func unrecognizedEnums() throws {
        let payment = Payment(status: .unrecognized(42), method: .unrecognized(-7), gateway: .unrecognized(Int32.max))
        let decoded = try Payment(serializedBytes: payment.serializedBytes())
        #expect(decoded.status == .unrecognized(42))
        #expect(decoded.method == .unrecognized(-7))
        #expect(decoded.gateway == .unrecognized(Int32.max))
    }

    @Test("enum defaults and case names")
    func enumDefaults() {
        #expect(Payment().status == .unspecified)
        #expect(Payment().method == .unspecified)
        #expect(Payment().gateway == .unspecified)
        #expect(WatchEventsRequest().startFrom == .beginning)
        #expect(StartFrom.liveEnd.protoName == "START_FROM_LIVE_END")
        #expect(PaymentMethod.bankTransfer.rawValue == 3)
        #expect(PaymentMethod(rawValue: 4) == .customerCredit)
    }

    @Test("round trips repeated many times")
    func repeatedRoundTrips() throws {
        // Runs every conversion path many times, so that a leak shows in the process size and under valgrind.
        for _ in 0..<2_000 {
            for roundTrip in PaymentsFixtures.roundTrips {
                #expect(try roundTrip())
            }
            _ = try? Payment(serializedBytes: [0x7A, 0x05, 0x0A, 0x01])
        }
    }
}
