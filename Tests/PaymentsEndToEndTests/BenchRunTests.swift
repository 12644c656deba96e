import Foundation
import TestSupport
import Testing

/// `payments bench` against a real server: counts, the JSON report, and Ctrl-C in the middle of a run.
@Suite("Load generator against a server", .serialized)
struct BenchRunTests {
    /// Decodes the `results` object of a `--json` report.
    private func results(_ output: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        return try #require(object?["results"] as? [String: Any], "no results in: \(output)")
    }

    @Test("counted run completes every operation", arguments: StoreKind.available)
    func countedRun(kind: StoreKind) async throws {
        let deployment = try await TestDeployment(kind: kind)

        let run = try await deployment.cli([
            "bench", "--scenario", "register-confirm", "--requests", "40", "--concurrency", "4", "--connections",
            "2", "--warmup", "0s", "--quiet", "--json", "--fail-if", "errors>0,timeouts>0",
        ])

        #expect(run.status == 0, "\(run.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        #expect(report?["interrupted"] as? Bool == false)
        let results = try results(run.standardOutput)
        #expect(results["completed"] as? Int == 40)
        #expect(results["succeeded"] as? Int == 40)
        #expect((results["outcomes"] as? [String: Int])?["OK"] == 40)
    }

    @Test("Ctrl-C prints the report of what ran")
    func interruptedRun() async throws {
        let deployment = try await TestDeployment(kind: .sqlite)
        var sentAt = ContinuousClock.now

        let run = try await runProduct(
            "payments",
            ["bench", "--scenario", "health", "--duration", "30s", "--warmup", "0s", "--quiet", "--json"],
            environment: deployment.environment, directory: deployment.directory
        ) { process in
            try await Task.sleep(for: .milliseconds(1500))
            sentAt = ContinuousClock.now
            process.interrupt()
        }
        let stoppedAfter = ContinuousClock.now - sentAt

        #expect(run.status == 130)
        #expect(stoppedAfter < .seconds(10), "the run went on for \(stoppedAfter) after Ctrl-C")
        let report = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        #expect(report?["interrupted"] as? Bool == true)
        let results = try results(run.standardOutput)
        #expect((results["completed"] as? Int ?? 0) > 0)
        #expect(results["errors"] as? Int == 0)
        #expect(run.standardError.contains("interrupted"))
    }
}
