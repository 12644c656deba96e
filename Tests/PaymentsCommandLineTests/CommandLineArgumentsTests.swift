import PaymentsCommandLine
import Testing

@Suite("Command-line arguments")
struct CommandLineArgumentsTests {
    @Test("options, flags and positionals")
    func splitsArguments() throws {
        let arguments = try CommandLineArguments(
            ["get", "--order", "o-1", "--json", "--payment=pay_1", "extra"],
            options: ["order", "payment"], flags: ["json"])

        #expect(arguments.values["order"] == "o-1")
        #expect(arguments.values["payment"] == "pay_1")
        #expect(arguments.isSet("json"))
        #expect(arguments.positional == ["get", "extra"])
    }

    @Test("unknown option is named")
    func rejectsUnknownOption() {
        #expect(throws: CommandLineError.unknownOption("colour")) {
            try CommandLineArguments(["--colour", "red"], options: ["order"], flags: [])
        }
    }

    @Test("option without value")
    func rejectsMissingValue() {
        #expect(throws: CommandLineError.missingValue("order")) {
            try CommandLineArguments(["--order"], options: ["order"], flags: [])
        }
    }

    @Test("command line overrides environment")
    func prefersCommandLine() throws {
        let environment = ["PAYMENTS_SERVER": "10.0.0.1:1"]
        let given = try CommandLineArguments(["--server", "127.0.0.1:7070"], options: ["server"], flags: [])
        let absent = try CommandLineArguments([], options: ["server"], flags: [])

        #expect(given.value("server", environment: environment, variable: "PAYMENTS_SERVER") == "127.0.0.1:7070")
        #expect(absent.value("server", environment: environment, variable: "PAYMENTS_SERVER") == "10.0.0.1:1")
        #expect(absent.value("server", environment: [:], variable: "PAYMENTS_SERVER") == nil)
    }
}

@Suite("Value parsers")
struct ValueParsersTests {
    @Test(
        "durations",
        arguments: [
            ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("5m", .seconds(300)),
            ("24h", .seconds(86_400)), ("7d", .seconds(604_800)),
        ])
    func parsesDurations(text: String, expected: Duration) {
        #expect(ValueParsers.duration(text) == expected)
    }

    @Test("invalid durations", arguments: ["", "30", "s", "-1s", "1.5s", "99999999999999999d", "１s"])
    func rejectsDurations(text: String) {
        #expect(ValueParsers.duration(text) == nil)
    }

    @Test("byte sizes", arguments: [("4096", 4096), ("64KiB", 65_536), ("4MiB", 4_194_304), ("1GiB", 1_073_741_824)])
    func parsesByteSizes(text: String, expected: Int) {
        #expect(ValueParsers.byteSize(text) == expected)
    }

    @Test("invalid byte sizes", arguments: ["", "MiB", "-1", "4MB", "2GiB", "1.5MiB"])
    func rejectsByteSizes(text: String) {
        #expect(ValueParsers.byteSize(text) == nil)
    }

    @Test("host and port")
    func parsesHostAndPort() {
        #expect(ValueParsers.hostAndPort("127.0.0.1:7070")! == ("127.0.0.1", 7070))
        #expect(ValueParsers.hostAndPort("[::1]:0")! == ("::1", 0))
        #expect(ValueParsers.hostAndPort("localhost") == nil)
        #expect(ValueParsers.hostAndPort("host:70000") == nil)
        #expect(ValueParsers.hostAndPort(":80") == nil)
    }
}
