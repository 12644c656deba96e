import Testing

/// `payments version` and `payments-server --version` print the same version.
@Suite struct VersionTests {
    @Test func cliAndServerShareVersion() async throws {
        let command = try await runCLI(["version"])
        let flag = try await runCLI(["--version"])

        let server = try await runProduct("payments-server", ["--version"])

        #expect(command.status == 0)
        #expect(flag.standardOutput == command.standardOutput)
        #expect(command.standardOutput.hasPrefix("payments "))
        #expect(server.status == 0)
        #expect("payments-server " + command.standardOutput.dropFirst("payments ".count) == server.standardOutput)

        let extra = try await runCLI(["version", "extra"])
        #expect(extra.status == 2)
        #expect(extra.standardError.contains("'version' takes no arguments"))
    }
}
