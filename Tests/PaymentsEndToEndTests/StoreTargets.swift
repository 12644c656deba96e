import Foundation
import Testing

/// The stores an end-to-end test runs against: a fresh SQLite file, and PostgreSQL when configured.
///
/// PostgreSQL runs when `PAYMENTS_TEST_POSTGRES_URL` is set (`make test` starts a throwaway server and sets
/// it). With `PAYMENTS_REQUIRE_POSTGRES=1` a missing URL fails the tests instead of skipping PostgreSQL.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["PAYMENTS_TEST_POSTGRES_URL"]
        return url?.isEmpty == false ? url : nil
    }

    static var postgresRequired: Bool {
        ProcessInfo.processInfo.environment["PAYMENTS_REQUIRE_POSTGRES"] == "1"
    }

    /// Store kinds to run: SQLite always, PostgreSQL when a URL is set or required.
    static var available: [StoreKind] {
        postgresURL != nil || postgresRequired ? [.sqlite, .postgres] : [.sqlite]
    }

    /// Returns the `--store` value for a test in `directory`.
    ///
    /// - Throws: `MissingPostgres` when PostgreSQL is required but no URL is set.
    func storeArgument(in directory: URL) throws -> String {
        switch self {
        case .sqlite:
            return "sqlite:" + directory.appendingPathComponent("payments.sqlite").path
        case .postgres:
            guard let url = Self.postgresURL else {
                throw MissingPostgres()
            }
            return url
        }
    }
}

struct MissingPostgres: Error, CustomStringConvertible {
    var description: String {
        "PAYMENTS_REQUIRE_POSTGRES=1 but PAYMENTS_TEST_POSTGRES_URL is not set: run the tests with 'make test', "
            + "which starts a throwaway PostgreSQL"
    }
}

/// A server with a development token in a fresh directory, and the environment the CLI needs to reach it.
struct TestDeployment {
    let directory: URL
    let store: String
    let server: ServerProcess
    let token: String

    init(kind: StoreKind, extraArguments: [String] = []) async throws {
        directory = try makeTemporaryDirectory()
        store = try kind.storeArgument(in: directory)
        server = try await ServerProcess(
            directory: directory, arguments: ["--store", store, "--development-tokens", "var"] + extraArguments)
        token = try String(contentsOf: directory.appendingPathComponent("var/dev-token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Environment that points the CLI at this server; the CLI finds the token in `var/dev-token`.
    var environment: [String: String] {
        ["PAYMENTS_SERVER": server.address]
    }

    /// Runs the CLI in the deployment's directory.
    func cli(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> CLIResult {
        try await runCLI(arguments, environment: environment.merging(extra) { _, new in new }, directory: directory)
    }

    /// Runs the CLI with `--json` and decodes its single output line.
    func cliJSON(_ arguments: [String]) async throws -> [String: Any] {
        let result = try await cli(arguments + ["--json"])
        guard result.status == 0 else {
            throw CLIFailed(arguments: arguments, result: result)
        }
        let line = result.standardOutput.split(separator: "\n").first.map(String.init) ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw CLIFailed(arguments: arguments, result: result)
        }
        return object
    }
}

struct CLIFailed: Error, CustomStringConvertible {
    var arguments: [String]
    var result: CLIResult

    var description: String {
        "payments \(arguments.joined(separator: " ")) exited \(result.status)\nstdout: \(result.standardOutput)\n"
            + "stderr: \(result.standardError)"
    }
}

/// Returns a fresh order id, so that tests sharing one PostgreSQL database never collide.
func uniqueOrderID(_ prefix: String = "order") -> String {
    "\(prefix)_\(UUID().uuidString.prefix(12).lowercased())"
}
