internal import PaymentsCommandLine
internal import PaymentsRPC
internal import RPCMessages
internal import RPCTransport

/// `payments health`: asks the server whether it is serving; exits 0 only when it is.
struct HealthCommand {
    let text: Text
    let environment: [String: String]

    func run(_ rawArguments: [String]) async throws(CLIFailure) {
        let arguments: CommandLineArguments
        do {
            arguments = try CommandLineArguments(
                rawArguments, options: CallSettings.optionNames.union(["service"]), flags: CallSettings.flagNames)
        } catch {
            throw .usage(CommandLineMessages.render(error, text: text))
        }
        var environment = environment
        // Health needs no token; a placeholder keeps CallSettings from requiring the development token.
        if arguments.values["token"] == nil && environment["PAYMENTS_TOKEN"] == nil {
            environment["PAYMENTS_TOKEN"] = "none"
        }
        let settings = try CallSettings(arguments: arguments, environment: environment, text: text)
        let client = HealthClient(client: ClientFactory.rpcClient(settings: settings))

        let response: HealthCheckResponse
        do {
            // The payments service by default, so that the check covers the store; --service "" checks the server alone.
            let service = arguments.values["service"] ?? "payments.v1.PaymentService"
            response = try await client.check(
                HealthCheckRequest(service: service), options: CallOptions(timeout: settings.timeout))
        } catch let error as RPCError {
            throw .rpc(error)
        } catch {
            throw .rpc(RPCError(code: .unknown, message: "\(error)"))
        }
        let status = response.status.protoName.lowercased()
        if settings.json {
            print(Formatting.jsonLine(response.protoJSONObject()))
        } else {
            print(text.healthStatus(status))
        }
        guard response.status == .serving else {
            throw .notServing(status)
        }
    }
}
