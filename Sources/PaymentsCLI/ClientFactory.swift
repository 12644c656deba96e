internal import PaymentsRPC
internal import RPCTransport

/// Builds the RPC clients of one CLI command from its call settings.
enum ClientFactory {
    static func rpcClient(settings: CallSettings) -> RPCClient {
        RPCClient(configuration: RPCClientConfiguration(host: settings.host, port: settings.port))
    }

    static func paymentClient(settings: CallSettings) -> PaymentServiceClient {
        PaymentServiceClient(client: rpcClient(settings: settings))
    }
}
