import Foundation
import PaymentsCommandLine

extension BenchConfiguration {
    /// One option of `payments bench`: its flag, its environment variable and its help line.
    struct OptionDefinition {
        var name: String
        var variable: String?
        var placeholder: String
        var help: String
    }

    static let optionDefinitions: [OptionDefinition] = [
        .init(
            name: "server", variable: "PAYMENTS_SERVER", placeholder: "HOST:PORT",
            help: "server to load (default 127.0.0.1:7070)"),
        .init(
            name: "token", variable: "PAYMENTS_TOKEN", placeholder: "TOKEN",
            help: "bearer token; read from --token-file when absent"),
        .init(
            name: "token-file", variable: "PAYMENTS_TOKEN_FILE", placeholder: "PATH",
            help: "file holding the bearer token (default var/dev-token)"),
        .init(
            name: "scenario", variable: nil, placeholder: "NAME",
            help: "health, register, register-confirm, refund, list or mixed (default health)"),
        .init(
            name: "mix", variable: nil, placeholder: "WEIGHTS",
            help: "weights of a mixed run (default register-confirm=40,refund=20,list=30,health=10)"),
        .init(
            name: "connections", variable: nil, placeholder: "N",
            help: "TCP connections to open (default 1)"),
        .init(
            name: "concurrency", variable: nil, placeholder: "N",
            help:
                "closed loop: calls in flight over all connections (default: connections x in-flight-per-connection, or 1)"
        ),
        .init(
            name: "in-flight-per-connection", variable: nil, placeholder: "N",
            help: "closed loop: calls in flight on each connection; sets --concurrency to connections x N"),
        .init(
            name: "rate", variable: nil, placeholder: "RATE",
            help: "open loop: calls per second, or steps RATE:DURATION,... such as 1000:10s,2000:10s"),
        .init(
            name: "max-in-flight", variable: nil, placeholder: "N",
            help: "open loop: most calls in flight; later calls wait and count from their intended time (default 10000)"
        ),
        .init(
            name: "duration", variable: nil, placeholder: "DURATION",
            help: "measured time after the warmup, such as 10s (default 10s; a stepped --rate sets it)"),
        .init(
            name: "requests", variable: nil, placeholder: "N",
            help: "measured operations to complete after the warmup, instead of --duration"),
        .init(
            name: "warmup", variable: nil, placeholder: "DURATION",
            help: "time the load runs before measuring (default 1s; 0s for none)"),
        .init(
            name: "timeout", variable: nil, placeholder: "DURATION",
            help: "deadline of each RPC (default 5s; 0s sends none and saves a timer per call)"),
        .init(
            name: "amount", variable: nil, placeholder: "MINOR_UNITS",
            help: "amount of each registered payment in minor units (default 1000)"),
        .init(
            name: "currency", variable: nil, placeholder: "CODE",
            help: "ISO 4217 currency of every payment (default USD)"),
        .init(
            name: "refund-payments", variable: nil, placeholder: "N",
            help: "refund scenario: confirmed payments set up before measuring (default 1000)"),
        .init(
            name: "list-orders", variable: nil, placeholder: "N",
            help: "list scenario: orders with 5 payments each set up before measuring (default 100)"),
        .init(
            name: "run-id", variable: nil, placeholder: "ID",
            help: "prefix of the run's order ids, letters and digits (default random)"),
        .init(
            name: "fail-if", variable: nil, placeholder: "CONDITIONS",
            help: "exit 1 when any holds, such as 'p99>5ms,errors>0,rate<1000'; metrics "
                + FailCondition.Metric.allCases.map(\.rawValue).joined(separator: " ")),
        .init(
            name: "progress-interval", variable: nil, placeholder: "DURATION",
            help: "time between progress lines on standard error (default 1s)"),
    ]

    static let flagDefinitions: [(name: String, help: String)] = [
        ("json", "print the configuration and results as one JSON object on standard output"),
        ("quiet", "print no progress line"),
        ("help", "print this help"),
    ]

    /// Parses the arguments after `bench`.
    ///
    /// - Throws: `BenchError` with code `invalidOption` naming the flag and the fix, or
    ///   `tokenUnavailable` when no token is given and the token file cannot be read.
    public static func parse(arguments: [String], environment: [String: String]) throws(BenchError)
        -> BenchConfiguration
    {
        let parsed: CommandLineArguments
        do {
            parsed = try CommandLineArguments(
                arguments, options: Set(optionDefinitions.map(\.name)), flags: Set(flagDefinitions.map(\.name)))
        } catch {
            throw BenchError(code: .invalidOption, message: error.description)
        }
        if let extra = parsed.positional.first {
            throw BenchError(
                code: .invalidOption,
                message: "unexpected argument '\(extra)': bench takes only options; run with --help to list them")
        }
        var reader = OptionReader(arguments: parsed, environment: environment)
        var configuration = BenchConfiguration()
        try configuration.readTarget(&reader)
        try configuration.readLoad(&reader)
        try configuration.readData(&reader)
        configuration.json = parsed.isSet("json")
        configuration.quiet = parsed.isSet("quiet")
        configuration.authorization = try readAuthorization(
            &reader, required: configuration.scenario != .health)
        return configuration
    }

    private mutating func readTarget(_ reader: inout OptionReader) throws(BenchError) {
        if let server = reader.value("server") {
            guard let (host, port) = ValueParsers.hostAndPort(server), port > 0 else {
                throw .invalidOption(name: "server", value: server, expected: "HOST:PORT such as 127.0.0.1:7070")
            }
            serverHost = host
            serverPort = port
        }
        if let name = reader.value("scenario") {
            guard let parsed = BenchScenario(rawValue: name) else {
                throw .invalidOption(
                    name: "scenario", value: name,
                    expected: BenchScenario.allCases.map(\.rawValue).joined(separator: ", "))
            }
            scenario = parsed
        }
        if let text = reader.value("mix") {
            guard scenario == .mixed else {
                throw BenchError(code: .invalidOption, message: "--mix needs --scenario mixed: add it or drop --mix")
            }
            mix = try ScenarioMix.parse(text)
        }
    }

    private mutating func readLoad(_ reader: inout OptionReader) throws(BenchError) {
        connections = try reader.integer("connections", in: 1...100_000) ?? 1
        let perConnection = try reader.integer("in-flight-per-connection", in: 1...100_000)
        let total = try reader.integer("concurrency", in: 1...1_000_000)
        if let perConnection, let total, total != perConnection * connections {
            throw BenchError(
                code: .invalidOption,
                message: "--concurrency \(total) differs from --connections \(connections) x "
                    + "--in-flight-per-connection \(perConnection): give one of the two")
        }
        concurrency = total ?? perConnection.map { $0 * connections } ?? connections
        if let text = reader.value("rate") {
            rate = try RateSchedule.parse(text)
            if reader.value("concurrency") != nil || perConnection != nil {
                throw BenchError(
                    code: .invalidOption,
                    message: "--rate runs an open loop, which --concurrency does not limit: use --max-in-flight instead"
                )
            }
        }
        maxInFlight = try reader.integer("max-in-flight", in: 1...1_000_000) ?? maxInFlight

        requests = try reader.integer("requests", in: 1...Int(Int32.max))
        let durationText = reader.value("duration")
        if requests != nil, let durationText {
            throw BenchError(
                code: .invalidOption,
                message: "--duration \(durationText) and --requests both bound the run: give one of the two")
        }
        if let stepped = rate?.totalDuration {
            if let durationText {
                throw BenchError(
                    code: .invalidOption,
                    message: "--duration \(durationText) conflicts with the stepped --rate, whose steps set the length")
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
            failConditions = try FailCondition.parseList(text)
        }
    }

    private mutating func readData(_ reader: inout OptionReader) throws(BenchError) {
        amountMinorUnits = Int64(try reader.integer("amount", in: 1...1_000_000_000_000) ?? Int(amountMinorUnits))
        if let code = reader.value("currency") {
            guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                throw .invalidOption(name: "currency", value: code, expected: "an ISO 4217 code such as USD")
            }
            currency = code
        }
        refundPayments = try reader.integer("refund-payments", in: 1...1_000_000) ?? refundPayments
        listOrders = try reader.integer("list-orders", in: 1...100_000) ?? listOrders
        if let id = reader.value("run-id") {
            guard (1...24).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw .invalidOption(name: "run-id", value: id, expected: "1 to 24 ASCII letters and digits")
            }
            runID = id
        }
    }

    private static func readAuthorization(_ reader: inout OptionReader, required: Bool) throws(BenchError)
        -> String?
    {
        if let token = reader.value("token") {
            return "Bearer \(token)"
        }
        let path = reader.value("token-file") ?? "var/dev-token"
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
            guard required else {
                return nil
            }
            throw BenchError(
                code: .tokenUnavailable,
                message: "cannot read the token file \(path): pass --token or PAYMENTS_TOKEN, or --token-file PATH")
        }
        let token = contents.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw BenchError(
                code: .tokenUnavailable,
                message: "the token file \(path) is empty: write the token in it or pass --token")
        }
        return "Bearer \(token)"
    }
}

/// Reads option values with their environment fallbacks and turns them into typed values.
struct OptionReader {
    var arguments: CommandLineArguments
    var environment: [String: String]

    func value(_ name: String) -> String? {
        let variable = BenchConfiguration.optionDefinitions.first { $0.name == name }?.variable
        return arguments.value(name, environment: environment, variable: variable)
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(BenchError) -> Int? {
        guard let text = value(name) else {
            return nil
        }
        guard let number = Int(text), range.contains(number) else {
            throw .invalidOption(
                name: name, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func duration(_ name: String, text: String, allowZero: Bool) throws(BenchError) -> Duration {
        guard let duration = parseDuration(text), allowZero || duration > .zero else {
            let floor = allowZero ? "0 or more" : "above 0"
            throw .invalidOption(
                name: name, value: text, expected: "a duration \(floor) with a unit: ns, us, ms, s, m or h, such as 10s"
            )
        }
        return duration
    }
}
