internal import PaymentsCommandLine
internal import PaymentsDomain
internal import PaymentsMessages
internal import PaymentsRPC
internal import RPCTransport

/// The subcommands that call PaymentService: register, confirm, fail, refund, get and list.
struct PaymentCommands {
    let text: Text
    let environment: [String: String]
    let output: Output

    static let names: Set<String> = ["register", "confirm", "fail", "refund", "get", "list"]
    /// The commands that change a payment.
    static let writeNames: Set<String> = ["register", "confirm", "fail", "refund"]

    private static let commandOptions: [String: Set<String>] = [
        "register": ["order", "amount", "currency", "method", "gateway", "gateway-payment-id", "order-total"],
        "confirm": ["order", "payment"],
        "fail": ["order", "payment", "failure-code", "failure-message"],
        "refund": ["order", "payment", "amount", "currency", "reason"],
        "get": ["order", "payment"],
        "list": ["order", "page-size", "page-token"],
    ]

    func run(_ command: String, _ rawArguments: [String]) async throws(CLIFailure) {
        let options = Self.commandOptions[command, default: []].union(CallSettings.optionNames)
        let flags = command == "refund" ? CallSettings.flagNames.union(["remainder"]) : CallSettings.flagNames
        let arguments = try parse(rawArguments, options: options, flags: flags)
        try validateLocally(command, arguments)
        let settings = try CallSettings(arguments: arguments, environment: environment, text: text)
        let client = ClientFactory.paymentClient(settings: settings)
        let outcome = await call(command, arguments: arguments, settings: settings, client: client)
        await client.client.close()
        try outcome.get()
    }

    private func call(
        _ command: String, arguments: CommandLineArguments, settings: CallSettings, client: PaymentServiceClient
    ) async -> Result<Void, CLIFailure> {
        do {
            switch command {
            case "register":
                let request = try registerRequest(arguments)
                let response = try await client.registerPayment(request, options: settings.callOptions)
                output.payment(response.payment, json: settings.json ? response.protoJSONObject() : nil)
            case "confirm":
                let request = ConfirmPaymentRequest(
                    orderID: try required(arguments, "order"), paymentID: try required(arguments, "payment"))
                let response = try await client.confirmPayment(request, options: settings.callOptions)
                output.payment(response.payment, json: settings.json ? response.protoJSONObject() : nil)
            case "fail":
                let request = FailPaymentRequest(
                    orderID: try required(arguments, "order"), paymentID: try required(arguments, "payment"),
                    failureCode: try required(arguments, "failure-code"),
                    failureMessage: arguments.values["failure-message"] ?? "")
                let response = try await client.failPayment(request, options: settings.callOptions)
                output.payment(response.payment, json: settings.json ? response.protoJSONObject() : nil)
            case "refund":
                let request = try await refundRequest(arguments, settings: settings, client: client)
                let response = try await client.refundPayment(request, options: settings.callOptions)
                output.payment(response.payment, json: settings.json ? response.protoJSONObject() : nil)
            case "get":
                let request = GetPaymentRequest(
                    orderID: try required(arguments, "order"), paymentID: try required(arguments, "payment"))
                let response = try await client.getPayment(request, options: settings.callOptions)
                output.payment(response.payment, json: settings.json ? response.protoJSONObject() : nil)
            default:
                let request = try listRequest(arguments)
                let response = try await client.listPayments(request, options: settings.callOptions)
                output.paymentList(response, json: settings.json)
            }
            return .success(())
        } catch let failure as CLIFailure {
            return .failure(failure)
        } catch let error as RPCError {
            return .failure(.rpc(error))
        } catch {
            return .failure(.rpc(RPCError(code: .unknown, message: "\(error)")))
        }
    }

    /// Checks what needs no server (amounts, enums, required options) before the token is looked up.
    private func validateLocally(_ command: String, _ arguments: CommandLineArguments) throws(CLIFailure) {
        switch command {
        case "register":
            _ = try registerRequest(arguments)
        case "list":
            _ = try listRequest(arguments)
        case "refund":
            _ = try required(arguments, "order")
            _ = try required(arguments, "payment")
            if let code = arguments.values["currency"], let amountText = arguments.values["amount"] {
                _ = try amount(amountText, currency: try currency(code, option: "currency"), option: "amount")
            }
        case "fail":
            _ = try required(arguments, "order")
            _ = try required(arguments, "payment")
            _ = try required(arguments, "failure-code")
        default:
            _ = try required(arguments, "order")
            _ = try required(arguments, "payment")
        }
    }

    private func parse(_ raw: [String], options: Set<String>, flags: Set<String>) throws(CLIFailure)
        -> CommandLineArguments
    {
        let arguments: CommandLineArguments
        do {
            arguments = try CommandLineArguments(raw, options: options, flags: flags)
        } catch {
            throw .usage(CommandLineMessages.render(error, text: text))
        }
        if let extra = arguments.positional.first {
            throw .usage(text.unexpectedArgument(extra))
        }
        return arguments
    }

    private func required(_ arguments: CommandLineArguments, _ name: String) throws(CLIFailure) -> String {
        guard let value = arguments.values[name], !value.isEmpty else {
            throw .usage(text.missingOption(name))
        }
        return value
    }

    private func currency(_ code: String, option: String) throws(CLIFailure) -> Currency {
        do {
            return try Currency(code: code)
        } catch {
            throw .usage("INVALID_CURRENCY: " + text.invalidValue(option, code, text.expectedCurrency))
        }
    }

    private func amount(_ text: String, currency: Currency, option: String) throws(CLIFailure) -> Int64 {
        switch Money.minorUnits(parsing: text, currency: currency) {
        case .success(let value):
            return value
        case .failure(let problem) where self.text.language == .english:
            let error = Money.amountError(problem, text: text, currency: currency, field: "--\(option)")
            throw .usage("INVALID_AMOUNT: \(error.message)")
        case .failure(let problem):
            throw .usage(
                "INVALID_AMOUNT: " + AmountMessages.spanish(problem, text: text, currency: currency, option: option))
        }
    }

    private func registerRequest(_ arguments: CommandLineArguments) throws(CLIFailure) -> RegisterPaymentRequest {
        let orderID = try required(arguments, "order")
        let currencyCode = try required(arguments, "currency")
        let currency = try currency(currencyCode, option: "currency")
        let amountMinorUnits = try amount(try required(arguments, "amount"), currency: currency, option: "amount")
        let methodText = try required(arguments, "method")
        guard let method = EnumNames.paymentMethod(methodText) else {
            throw .usage(text.invalidValue("method", methodText, text.expectedMethod))
        }

        var request = RegisterPaymentRequest(
            orderID: orderID, method: method, amountMinorUnits: amountMinorUnits, currency: currency.code)
        if let gatewayText = arguments.values["gateway"] {
            guard let gateway = EnumNames.gateway(gatewayText) else {
                throw .usage(text.invalidValue("gateway", gatewayText, text.expectedGateway))
            }
            request.gateway = gateway
        }
        request.gatewayPaymentID = arguments.values["gateway-payment-id"] ?? ""
        if method == .card && request.gatewayPaymentID.isEmpty {
            throw .usage("INVALID_ARGUMENT: " + text.missingGatewayPaymentID)
        }
        if let totalText = arguments.values["order-total"] {
            request.orderTotalMinorUnits = try amount(totalText, currency: currency, option: "order-total")
        }
        return request
    }

    private func refundRequest(
        _ arguments: CommandLineArguments, settings: CallSettings, client: PaymentServiceClient
    ) async throws(CLIFailure) -> RefundPaymentRequest {
        let orderID = try required(arguments, "order")
        let paymentID = try required(arguments, "payment")
        var request = RefundPaymentRequest(
            orderID: orderID, paymentID: paymentID, reason: arguments.values["reason"] ?? "")

        let remainder = arguments.isSet("remainder")
        switch (arguments.values["amount"], remainder) {
        case (.some, true):
            throw .usage(text.conflictingOptions("amount", "remainder"))
        case (nil, false):
            throw .usage(text.missingRefundAmount)
        case (nil, true):
            request.refundRemainder = true
            request.currency = arguments.values["currency"].map { $0.uppercased() } ?? ""
        case (.some(let amountText), false):
            // The decimal text needs the currency's exponent: take --currency, else read the payment's.
            let currencyCode: String
            if let given = arguments.values["currency"] {
                currencyCode = given
            } else {
                do {
                    let response = try await client.getPayment(
                        GetPaymentRequest(orderID: orderID, paymentID: paymentID), options: settings.callOptions)
                    currencyCode = response.payment?.currency ?? ""
                } catch let error as RPCError {
                    throw .rpc(error)
                } catch {
                    throw .rpc(RPCError(code: .unknown, message: "\(error)"))
                }
            }
            let currency = try currency(currencyCode, option: "currency")
            request.currency = currency.code
            request.amountMinorUnits = try amount(amountText, currency: currency, option: "amount")
        }
        return request
    }

    private func listRequest(_ arguments: CommandLineArguments) throws(CLIFailure) -> ListPaymentsRequest {
        var request = ListPaymentsRequest(orderID: try required(arguments, "order"))
        if let sizeText = arguments.values["page-size"] {
            guard let size = Int32(sizeText), size > 0 else {
                throw .usage(text.invalidValue("page-size", sizeText, text.expectedPositiveInteger))
            }
            request.pageSize = size
        }
        request.pageToken = arguments.values["page-token"] ?? ""
        return request
    }
}

/// Parsing of the CLI's method and gateway names, as written in the .proto in lower case.
enum EnumNames {
    static func paymentMethod(_ text: String) -> PaymentsMessages.PaymentMethod? {
        PaymentsMessages.PaymentMethod.allCases.first {
            $0 != .unspecified && $0.protoName.lowercased() == text.lowercased()
        }
    }

    static func gateway(_ text: String) -> PaymentsMessages.Gateway? {
        PaymentsMessages.Gateway.allCases.first { $0 != .unspecified && $0.protoName.lowercased() == text.lowercased() }
    }

    /// Lower-case name of an enum case as the tables and JSON show it, such as `partially_refunded`.
    static func display(_ protoName: String, prefix: String) -> String {
        let name = protoName.hasPrefix(prefix) ? String(protoName.dropFirst(prefix.count)) : protoName
        return name.lowercased()
    }
}

/// Localized text for command-line errors.
enum CommandLineMessages {
    static func render(_ error: CommandLineError, text: Text) -> String {
        switch error {
        case .unknownOption(let name): text.unknownOption(name)
        case .missingValue(let name): text.missingValue(name)
        case .invalidValue(let name, let value, let expected): text.invalidValue(name, value, expected)
        case .missingOption(let name): text.missingOption(name)
        }
    }
}

/// Spanish explanations of an amount option that the CLI rejected before any call.
enum AmountMessages {
    /// Explains `problem` with `text` in Spanish, with the reasons that `Money.parseAmount` gives in English.
    static func spanish(_ problem: Money.AmountProblem, text: String, currency: Currency, option: String) -> String {
        let prefix = "valor no válido '\(text.prefix(40))' para --\(option): "
        switch problem {
        case .notDecimal, .noDigitsAfterPoint:
            let example = Money.format(150 * power(10, currency.exponent), currency: currency)
            return prefix + "no es un número decimal; escriba cifras con un '.' opcional, como \(example)"
        case .tooManyDecimals(let count):
            return prefix
                + "tiene \(count) \(count == 1 ? "decimal" : "decimales") pero \(currency.code) tiene "
                + "\(currency.exponent); los montos nunca se redondean"
        case .zero:
            return prefix + "debe ser mayor que 0; 0 nunca significa el monto completo"
        case .aboveMaximum:
            let maximum = Money.format(Money.maximumMinorUnits, currency: currency)
            return prefix + "supera el máximo de \(maximum) \(currency.code)"
        }
    }

    private static func power(_ base: Int64, _ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { result, _ in result * base }
    }
}
