import Testing

@testable import PaymentsCodegen

@Suite("Naming rules")
struct SwiftNamingTests {
    @Test(
        "field names",
        arguments: [
            ("payment_id", "paymentID"), ("request_id", "requestID"), ("last_call_id", "lastCallID"),
            ("idempotency_key", "idempotencyKey"), ("id", "id"), ("ids", "ids"),
            (
                "order_total_minor_units",
                "orderTotalMinorUnits"
            ), ("method", "method"), ("identity_provider", "identityProvider"),
        ])
    func fieldNames(protoName: String, swiftName: String) {
        #expect(SwiftNaming.lowerCamelCase(protoName) == swiftName)
    }

    @Test(
        "enum case names",
        arguments: [
            ("PAYMENT_METHOD_UNSPECIFIED", "PaymentMethod", "unspecified", "unspecified"),
            ("CARD", "PaymentMethod", "card", "card"),
            ("START_FROM_LIVE_END", "StartFrom", "liveEnd", "live_end"),
            ("INVALID_ARGUMENT", "StatusCode", "invalidArgument", "invalid_argument"),
            ("OK", "StatusCode", "ok", "ok"),
            ("SERVING_STATUS_UNKNOWN", "ServingStatus", "unknown", "unknown"),
            ("PARTIALLY_REFUNDED", "PaymentStatus", "partiallyRefunded", "partially_refunded"),
            ("STATUS_2", "Status", "status2", "status_2"),
        ])
    func enumCases(valueName: String, enumName: String, caseName: String, jsonName: String) {
        #expect(SwiftNaming.enumCaseName(valueName, enumName: enumName) == caseName)
        #expect(SwiftNaming.enumJSONName(valueName, enumName: enumName) == jsonName)
    }

    @Test("method names")
    func methodNames() {
        #expect(SwiftNaming.methodName("RegisterPayment") == "registerPayment")
        #expect(SwiftNaming.methodName("Check") == "check")
        #expect(SwiftNaming.methodName("GetPaymentById") == "getPaymentByID")
    }

    @Test("reserved words get backticks")
    func reservedWords() {
        #expect(SwiftNaming.escapedIdentifier("internal") == "`internal`")
        #expect(SwiftNaming.escapedIdentifier("default") == "`default`")
        #expect(SwiftNaming.escapedIdentifier("type") == "type")
    }

    @Test("protobuf-c type, function and member names")
    func protobufCNames() {
        #expect(ProtobufCNaming.typeName("rpc.v1.CallHeader") == "Rpc__V1__CallHeader")
        #expect(ProtobufCNaming.typeName("payments.v1.PaymentMethod") == "Payments__V1__PaymentMethod")
        #expect(ProtobufCNaming.functionPrefix("rpc.v1.GoAway") == "rpc__v1__go_away")
        #expect(ProtobufCNaming.functionPrefix("rpc.v1.HealthCheckRequest") == "rpc__v1__health_check_request")
        #expect(ProtobufCNaming.memberName("payment_id") == "payment_id")
        #expect(ProtobufCNaming.memberName("default") == "default_")
    }
}
