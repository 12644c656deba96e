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

    /// Runs `payments bench` with `arguments` against a new SQLite server and sends it SIGINT after 1.5 s, as
    /// Ctrl-C does. Returns the run and how long it went on after the signal.
    private func benchInterrupted(_ arguments: [String]) async throws -> (CLIResult, Duration) {
        let deployment = try await TestDeployment(kind: .sqlite)
        var sentAt = ContinuousClock.now

        let run = try await runProduct(
            "payments", ["bench"] + arguments, environment: deployment.environment, directory: deployment.directory
        ) { process in
            try await Task.sleep(for: .milliseconds(1500))
            sentAt = ContinuousClock.now
            process.interrupt()
        }
        return (run, ContinuousClock.now - sentAt)
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

    @Test("run over two client threads")
    func twoThreads() async throws {
        let deployment = try await TestDeployment(kind: .sqlite)

        let run = try await deployment.cli([
            "bench", "--scenario", "register-confirm", "--requests", "80", "--concurrency", "8", "--connections",
            "4", "--threads", "2", "--warmup", "0s", "--quiet", "--json", "--fail-if", "errors>0,timeouts>0",
        ])

        #expect(run.status == 0, "\(run.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        let configuration = report?["configuration"] as? [String: Any]
        #expect(configuration?["threads"] as? Int == 2)
        let results = try results(run.standardOutput)
        #expect(results["completed"] as? Int == 80)
        #expect(results["succeeded"] as? Int == 80)
    }

    @Test("Ctrl-C prints the report of what ran")
    func interruptedRun() async throws {
        let (run, stoppedAfter) = try await benchInterrupted([
            "--scenario", "health", "--duration", "30s", "--warmup", "0s", "--quiet", "--json",
        ])

        #expect(run.status == 130)
        #expect(stoppedAfter < .seconds(10), "the run went on for \(stoppedAfter) after Ctrl-C")
        let report = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        #expect(report?["interrupted"] as? Bool == true)
        let results = try results(run.standardOutput)
        #expect((results["completed"] as? Int ?? 0) > 0)
        #expect(results["errors"] as? Int == 0)
        #expect(run.standardError.contains("interrupted"))
    }

    @Test("open loop at a low rate reports the intended rate")
    func lowRateOpenLoop() async throws {
        let deployment = try await TestDeployment(kind: .sqlite)

        let run = try await deployment.cli([
            "bench", "--scenario", "health", "--rate", "20", "--duration", "1s", "--warmup", "0s", "--quiet", "--json",
        ])

        #expect(run.status == 0, "\(run.standardError)")
        let results = try results(run.standardOutput)
        #expect(results["completed"] as? Int == 20)
        let target = try #require(results["targetRate"] as? Double)
        #expect(abs(target - 20) < 0.001)
        let achieved = try #require(results["achievedRate"] as? Double)
        #expect(achieved <= target * 1.000_1, "achieved \(achieved)/s of \(target)/s")
        #expect((results["measuredSeconds"] as? Double ?? 0) >= 1)
    }

    @Test("Ctrl-C in the first step leaves the next one not reached")
    func interruptedSteps() async throws {
        let (run, _) = try await benchInterrupted([
            "--scenario", "health", "--rate", "50:30s,100:30s", "--warmup", "0s", "--quiet", "--json",
        ])

        #expect(run.status == 130)
        let results = try results(run.standardOutput)
        let steps = try #require(results["steps"] as? [[String: Any]])
        try #require(steps.count == 2)
        #expect(steps[0]["reached"] as? Bool == true)
        #expect(steps[1]["reached"] as? Bool == false)
        #expect(steps[1]["completed"] as? Int == 0)
        // The intended rate covers the calls intended before Ctrl-C, all in the first step.
        let target = try #require(results["targetRate"] as? Double)
        #expect(abs(target - 50) < 0.01, "intended \(target)/s")
    }
}
