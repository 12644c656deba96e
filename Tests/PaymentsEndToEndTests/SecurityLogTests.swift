import Foundation
import Testing

@Suite("Tokens never reach the log")
struct SecurityLogTests {
    @Test("good and bad tokens leave no secret in the log")
    func noSecretsInLog() async throws {
        let deployment = try await TestDeployment(kind: .sqlite, extraArguments: ["--log-level", "trace"])
        let order = uniqueOrderID()
        let badTokens = ["ptk_" + String(repeating: "A", count: 43), "not-a-token", "ptk_short"]

        let good = try await deployment.cli(["list", "--order", order])
        #expect(good.status == 0, "\(good.standardError)")
        for badToken in badTokens {
            let result = try await deployment.cli(
                ["list", "--order", order], environment: ["PAYMENTS_TOKEN": badToken])
            #expect(result.status == 4)
            #expect(result.standardError.contains("UNAUTHENTICATED"))
            #expect(!result.standardError.contains(badToken))
        }
        // Enough failures to trip the rate limiter, which must count them rather than log each.
        for _ in 0..<15 {
            _ = try await deployment.cli(["list", "--order", order], environment: ["PAYMENTS_TOKEN": badTokens[0]])
        }
        let afterBurst = try await deployment.cli(["list", "--order", order])
        #expect(afterBurst.status == 0 || afterBurst.standardError.contains("RESOURCE_EXHAUSTED"))
        #expect(await deployment.server.stop() == 0)

        let log = deployment.server.logLines.joined(separator: "\n")
        #expect(!log.isEmpty)
        #expect(!log.contains(deployment.token))
        for badToken in badTokens {
            #expect(!log.contains(badToken))
        }
        #expect(!log.lowercased().contains("bearer ptk_"))
        #expect(!log.lowercased().contains("bearer not-a-token"))
        #expect(!log.lowercased().contains("\"authorization\""))
        // Failures are summarised on one line per interval, never one line each.
        let summaries = deployment.server.logRecords.filter { $0["message"] as? String == "rejected bearer tokens" }
        #expect(summaries.count <= 3)
        #expect(!log.contains(String(deployment.token.dropFirst(4).prefix(16))))
        // The token file's hashes stay out of the log too.
        let tokenFile = try String(
            contentsOf: deployment.directory.appendingPathComponent("var/tokens.json"), encoding: .utf8)
        let hashes = tokenFile.split(whereSeparator: { !$0.isHexDigit }).filter { $0.count == 64 }
        #expect(!hashes.isEmpty)
        for hash in hashes {
            #expect(!log.contains(hash))
        }
        #expect(deployment.server.logRecords.contains { $0["message"] as? String == "stopped" })
    }
}
