import PaymentsMessages
import PaymentsRPC
import RPCTransport

/// Creates the generated Swift client for a test server, sending `token` on every call.
func makeClient(port: Int, token: String) -> PaymentServiceClient {
    let configuration = RPCClientConfiguration(
        port: port, defaultOptions: CallOptions(timeout: .seconds(20), authorization: "Bearer \(token)"))
    return PaymentServiceClient(client: RPCClient(configuration: configuration))
}

/// Builds a register request for a cash payment in USD.
func cashPayment(order: String, amountMinorUnits: Int64, total: Int64 = 0) -> RegisterPaymentRequest {
    RegisterPaymentRequest(
        orderID: order, method: .cash, amountMinorUnits: amountMinorUnits, currency: "USD", orderTotalMinorUnits: total)
}
