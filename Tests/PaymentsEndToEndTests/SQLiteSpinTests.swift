import Foundation
import Testing

/// `payments-server --sqlite-spin`: the values it takes and a server with the spin turned off.
@Suite("SQLite spin option")
struct SQLiteSpinTests {
    @Test("invalid values are rejected", arguments: ["500ms", "1", "x", "-1ms"])
    func rejectsInvalidValues(value: String) async throws {
        let run = try await runProduct("payments-server", ["--sqlite-spin", value])

        #expect(run.status == 2)
        #expect(run.standardError.contains("invalid value '\(value)' for --sqlite-spin"), "\(run.standardError)")
        #expect(run.standardError.contains("whole milliseconds from 0 to 100ms"))
    }

    @Test("writes work at other spins", arguments: ["0", "5ms"])
    func servesWrites(spin: String) async throws {
        let deployment = try await TestDeployment(kind: .sqlite, extraArguments: ["--sqlite-spin", spin])

        let run = try await deployment.cli([
            "bench", "--scenario", "register-confirm", "--requests", "30", "--concurrency", "3", "--warmup", "0s",
            "--quiet", "--json", "--fail-if", "errors>0,timeouts>0",
        ])

        #expect(run.status == 0, "\(run.standardError)")
        let report = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        let results = report?["results"] as? [String: Any]
        #expect(results?["succeeded"] as? Int == 30)
    }
}
