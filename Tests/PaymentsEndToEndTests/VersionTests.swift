import Foundation
import TestSupport
import Testing

/// `payments version` and `payments-server --version` print the same version.
@Suite struct VersionTests {
    @Test func cliAndServerShareVersion() async throws {
        let command = try await runCLI(["version"])
        let flag = try await runCLI(["--version"])

        let server = Process()
        server.executableURL = BuildProducts.url(of: "payments-server")
        server.arguments = ["--version"]
        let output = Pipe()
        server.standardOutput = output
        try server.run()
        let handle = output.fileHandleForReading
        let serverOutput = String(
            decoding: await runOnDedicatedThread { handle.readDataToEndOfFile() }, as: UTF8.self)
        let serverStatus = await runOnDedicatedThread { [server] in
            server.waitUntilExit()
            return server.terminationStatus
        }

        #expect(command.status == 0)
        #expect(flag.standardOutput == command.standardOutput)
        #expect(command.standardOutput.hasPrefix("payments "))
        #expect(serverStatus == 0)
        #expect("payments-server " + command.standardOutput.dropFirst("payments ".count) == serverOutput)
        let extra = try await runCLI(["version", "extra"])
        #expect(extra.status == 2)
        #expect(extra.standardError.contains("'version' takes no arguments"))
    }
}
