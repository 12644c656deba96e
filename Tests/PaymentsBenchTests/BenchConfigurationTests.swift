import PaymentsCommandLine
import Testing

@testable import PaymentsBench

@Suite("Bench command line")
struct BenchConfigurationTests {
    static let token = ["--token", "secret"]

    @Test("connections times in-flight sets concurrency")
    func perConnection() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--connections", "4", "--in-flight-per-connection", "8"] + Self.token, environment: [:])
        #expect(configuration.concurrency == 32)
        #expect(configuration.connections == 4)
        #expect(configuration.isOpenLoop == false)
        #expect(configuration.authorization == "Bearer secret")
    }

    @Test("threads default to one")
    func threadsDefault() throws {
        let configuration = try BenchConfiguration.parse(arguments: Self.token, environment: [:])

        #expect(configuration.threads == 1)
    }

    @Test("threads spread over connections")
    func threadsParsed() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--threads", "2", "--connections", "4"] + Self.token, environment: [:])

        #expect(configuration.threads == 2)
        let report = BenchReport(configuration: configuration, results: BenchRecorder().results(measureStart: .now))
        #expect(report.jsonText().contains("\"threads\" : 2"), "\(report.jsonText())")
    }

    @Test("threads above connections rejected", arguments: [Language.english, .spanish])
    func threadsAboveConnections(language: Language) {
        let environment = language == .spanish ? ["LANG": "es_ES.UTF-8"] : [:]
        do {
            _ = try BenchConfiguration.parse(
                arguments: ["--threads", "3", "--connections", "2"] + Self.token, environment: environment)
            Issue.record("--threads 3 --connections 2 parsed")
        } catch {
            #expect(error.code == .invalidOption)
            #expect(error.message.hasPrefix("--threads 3 "), "\(error.message)")
            #expect(error.message.contains("--connections 2"), "\(error.message)")
            let fix =
                language == .english ? "lower --threads or raise --connections" : "baje --threads o suba --connections"
            #expect(error.message.contains(fix), "\(error.message)")
        }
    }

    @Test("stepped rate sets the duration")
    func steppedRate() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--scenario", "register", "--rate", "100:2s,200:3s", "--warmup", "0s"] + Self.token,
            environment: [:])
        #expect(configuration.isOpenLoop)
        #expect(configuration.duration == .seconds(5))
        #expect(configuration.warmup == .zero)
    }

    @Test("zero timeout sends no deadline")
    func zeroTimeout() throws {
        let none = try BenchConfiguration.parse(arguments: ["--timeout", "0s"] + Self.token, environment: [:])
        #expect(none.timeout == nil)
        let short = try BenchConfiguration.parse(arguments: ["--timeout", "250ms"] + Self.token, environment: [:])
        #expect(short.timeout == .milliseconds(250))
    }

    @Test("server comes from the environment")
    func serverFromEnvironment() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: [], environment: ["PAYMENTS_SERVER": "127.0.0.1:9001", "PAYMENTS_TOKEN": "t"])
        #expect(configuration.serverPort == 9_001)
        #expect(configuration.authorization == "Bearer t")
    }

    @Test(
        "errors name the flag",
        arguments: [
            (["--connections", "0"], "--connections"),
            (["--threads", "0"], "--threads"),
            (["--threads", "65", "--connections", "100"], "--threads"),
            (["--scenario", "teleport"], "--scenario"),
            (["--rate", "10", "--concurrency", "4"], "--max-in-flight"),
            (["--duration", "10s", "--requests", "5"], "--requests"),
            (["--duration", "10"], "--duration"),
            (["--mix", "list=1"], "--scenario mixed"),
            (["--fail-if", "p99<fast"], "--fail-if"),
            (["--bogus"], "--bogus"),
        ])
    func errorsNameFlag(arguments: [String], flag: String) {
        do {
            _ = try BenchConfiguration.parse(arguments: arguments + Self.token, environment: [:])
            Issue.record("\(arguments) parsed")
        } catch {
            #expect(error.code == .invalidOption)
            #expect(error.message.contains(flag), "\(error.message)")
        }
    }

    @Test(
        "mix errors name the cause",
        arguments: [
            ("health=0", "invalid value 'health=0' for --mix: expected a whole weight from 1 to 1000000"),
            ("health=x", "invalid value 'health=x' for --mix: expected a whole weight from 1 to 1000000"),
            ("health=1,health=2", "expected each scenario once, and health appears more than once"),
            ("teleport=1", "invalid value 'teleport=1' for --mix: expected SCENARIO=WEIGHT pairs"),
        ])
    func mixErrors(mix: String, message: String) {
        do {
            _ = try ScenarioMix.parse(mix)
            Issue.record("\(mix) parsed")
        } catch {
            #expect(error.code == .invalidOption)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("missing token file names the fix")
    func missingToken() {
        do {
            _ = try BenchConfiguration.parse(
                arguments: ["--scenario", "register", "--token-file", "/nonexistent/token"], environment: [:])
            Issue.record("parsed without a token")
        } catch {
            #expect(error.code == .tokenUnavailable)
            #expect(error.message.contains("--token"))
        }
    }

    @Test("mix weights pick scenarios in proportion")
    func mix() throws {
        let mix = try ScenarioMix.parse("register=1,list=3")
        let picks = (0..<400).map { mix.scenario(forTicket: $0) }
        #expect(picks.filter { $0 == .register }.count == 100)
        #expect(picks.filter { $0 == .list }.count == 300)
    }
}
