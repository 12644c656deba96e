import Foundation
import PaymentsCommandLine
import PaymentsDomain

extension BenchConfiguration {
    /// Parses the arguments after `bench`, and the language of its messages from the locale variables.
    ///
    /// - Throws: `BenchError` with code `invalidOption` naming the flag and the fix, or
    ///   `tokenUnavailable` when no token is given and the token file cannot be read. The message is in
    ///   the language of `environment`.
    public static func parse(arguments: [String], environment: [String: String]) throws(BenchError)
        -> BenchConfiguration
    {
        let text = BenchText(language: Language(environment: environment))
        let parsed: CommandLineArguments
        do {
            parsed = try CommandLineArguments(
                arguments, options: Set(optionDefinitions.map(\.name)), flags: Set(flagDefinitions.map(\.name)))
        } catch {
            throw BenchError(code: .invalidOption, message: text.commandLine(error))
        }
        if let extra = parsed.positional.first {
            throw BenchError(code: .invalidOption, message: text.unexpectedArgument(extra))
        }
        var reader = OptionReader(arguments: parsed, environment: environment, text: text)
        var configuration = BenchConfiguration()
        configuration.language = text.language
        try configuration.readTarget(&reader)
        try configuration.readLoad(&reader)
        try configuration.readData(&reader)
        configuration.json = parsed.isSet("json")
        configuration.quiet = parsed.isSet("quiet")
        (configuration.authorization, configuration.tokenSource) = try readAuthorization(
            &reader, required: configuration.scenario != .health)
        return configuration
    }

    private mutating func readTarget(_ reader: inout OptionReader) throws(BenchError) {
        if let server = reader.value("server") {
            guard let (host, port) = ValueParsers.hostAndPort(server), port > 0 else {
                throw reader.invalidOption("server", server, expected: reader.text.expectedHostAndPort)
            }
            serverHost = host
            serverPort = port
        }
        if let name = reader.value("scenario") {
            guard let parsed = BenchScenario(rawValue: name) else {
                let names = BenchScenario.allCases.map(\.rawValue).joined(separator: ", ")
                throw reader.invalidOption("scenario", name, expected: reader.text.expectedScenario(names: names))
            }
            scenario = parsed
        }
        if let text = reader.value("mix") {
            guard scenario == .mixed else {
                throw BenchError(code: .invalidOption, message: reader.text.mixNeedsMixedScenario)
            }
            mix = try ScenarioMix.parse(text, language: reader.text.language)
        }
    }

    private mutating func readLoad(_ reader: inout OptionReader) throws(BenchError) {
        connections = try reader.integer("connections", in: 1...100_000) ?? 1
        threads = try reader.integer("threads", in: 1...64) ?? 1
        guard threads <= connections else {
            throw BenchError(
                code: .invalidOption, message: reader.text.threadsAboveConnections(threads, connections: connections))
        }
        let perConnection = try reader.integer("in-flight-per-connection", in: 1...100_000)
        let total = try reader.integer("concurrency", in: 1...1_000_000)
        if let perConnection, let total, total != perConnection * connections {
            throw BenchError(
                code: .invalidOption,
                message: reader.text.concurrencyMismatch(
                    total: total, connections: connections, perConnection: perConnection))
        }
        concurrency = total ?? perConnection.map { $0 * connections } ?? connections
        if let text = reader.value("rate") {
            rate = try RateSchedule.parse(text, language: reader.text.language)
            if reader.value("concurrency") != nil || perConnection != nil {
                throw BenchError(code: .invalidOption, message: reader.text.rateWithConcurrency)
            }
        }
        // By default an open loop keeps no more calls in flight than servers accept on its connections, so
        // an overload shows as waiting that counts in the latency, not as RESOURCE_EXHAUSTED failures.
        maxInFlight =
            try reader.integer("max-in-flight", in: 1...1_000_000)
            ?? BenchCommand.defaultServerCallsPerConnection * connections

        requests = try reader.integer("requests", in: 1...Int(Int32.max))
        let durationText = reader.value("duration")
        if requests != nil, let durationText {
            throw BenchError(code: .invalidOption, message: reader.text.durationWithRequests(durationText))
        }
        if let stepped = rate?.totalDuration {
            if let durationText {
                throw BenchError(code: .invalidOption, message: reader.text.durationWithSteppedRate(durationText))
            }
            duration = stepped
        } else if requests != nil {
            duration = nil
        } else if let durationText {
            duration = try reader.duration("duration", text: durationText, allowZero: false)
        }
        if let text = reader.value("warmup") {
            warmup = try reader.duration("warmup", text: text, allowZero: true)
        }
        if let text = reader.value("timeout") {
            let parsed = try reader.duration("timeout", text: text, allowZero: true)
            timeout = parsed == .zero ? nil : parsed
        }
        if let text = reader.value("progress-interval") {
            progressInterval = try reader.duration("progress-interval", text: text, allowZero: false)
        }
        if let text = reader.value("fail-if") {
            failConditions = try FailCondition.parseList(text, language: reader.text.language)
        }
    }

    private mutating func readData(_ reader: inout OptionReader) throws(BenchError) {
        amountMinorUnits = Int64(try reader.integer("amount", in: 1...1_000_000_000_000) ?? Int(amountMinorUnits))
        if let code = reader.value("currency") {
            guard (try? Currency(code: code)) != nil else {
                throw reader.invalidOption("currency", code, expected: reader.text.expectedCurrency)
            }
            currency = code
        }
        refundPayments = try reader.integer("refund-payments", in: 1...1_000_000) ?? refundPayments
        listOrders = try reader.integer("list-orders", in: 1...100_000) ?? listOrders
        if let id = reader.value("run-id") {
            guard (1...24).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw reader.invalidOption("run-id", id, expected: reader.text.expectedRunID)
            }
            runID = id
        }
    }

    /// Reads the bearer token and returns the `authorization` header with where the token came from,
    /// such as `--token-file var/dev-token`, for messages about a rejected token.
    private static func readAuthorization(_ reader: inout OptionReader, required: Bool) throws(BenchError)
        -> (header: String?, source: String?)
    {
        if let token = reader.value("token") {
            let source = reader.arguments.value("token") != nil ? "--token" : "PAYMENTS_TOKEN"
            return ("Bearer \(token)", source)
        }
        let given = reader.value("token-file")
        let path = given ?? "var/dev-token"
        let source =
            given == nil || reader.arguments.value("token-file") != nil
            ? "--token-file \(path)" : "PAYMENTS_TOKEN_FILE \(path)"
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            guard required else {
                return (nil, nil)
            }
            throw BenchError(code: .tokenUnavailable, message: reader.text.tokenFileUnreadable(path))
        }
        let token = contents.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw BenchError(code: .tokenUnavailable, message: reader.text.tokenFileEmpty(path))
        }
        return ("Bearer \(token)", source)
    }
}

/// Reads option values with their environment fallbacks and turns them into typed values.
struct OptionReader {
    var arguments: CommandLineArguments
    var environment: [String: String]
    /// Language of the errors it throws.
    var text: BenchText

    func value(_ name: String) -> String? {
        let variable = BenchConfiguration.optionDefinitions.first { $0.name == name }?.variable
        return arguments.value(name, environment: environment, variable: variable)
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(BenchError) -> Int? {
        guard let text = value(name) else {
            return nil
        }
        guard let number = Int(text), range.contains(number) else {
            throw invalidOption(name, text, expected: self.text.expectedWholeNumber(range))
        }
        return number
    }

    func duration(_ name: String, text: String, allowZero: Bool) throws(BenchError) -> Duration {
        guard let duration = parseDuration(text), allowZero || duration > .zero else {
            throw invalidOption(name, text, expected: self.text.expectedDuration(allowZero: allowZero))
        }
        return duration
    }

    /// Builds the `invalidOption` error for an unusable value of `--name`, in the reader's language.
    func invalidOption(_ name: String, _ value: String, expected: String) -> BenchError {
        .invalidOption(name: name, value: value, expected: expected, language: text.language)
    }
}
