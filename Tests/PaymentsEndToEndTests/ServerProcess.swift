import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A `payments-server` process started by a test on 127.0.0.1 with a free port.
///
/// The server logs in JSON lines to a file; `init` waits for its `listening`
/// line and reads the port from it. `stop` and `kill` address the process by its id
/// and wait for its exit on a thread of their own, off Swift's cooperative pool.
final class ServerProcess: @unchecked Sendable {
    // Sendable by confinement: a test creates, uses and stops one server on one task.
    let process = Process()
    let logURL: URL
    let directory: URL
    private(set) var port = 0

    var address: String { "127.0.0.1:\(port)" }

    /// Starts the server with `arguments` plus `--listen 127.0.0.1:0 --log-format json`.
    init(directory: URL, arguments: [String], environment: [String: String] = [:]) async throws {
        self.directory = directory
        self.logURL = directory.appendingPathComponent("server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)

        process.executableURL = BuildProducts.url(of: "payments-server")
        process.arguments = ["--listen", "127.0.0.1:0", "--log-format", "json"] + arguments
        process.currentDirectoryURL = directory
        var processEnvironment = ProcessInfo.processInfo.environment
        processEnvironment.merge(environment) { _, new in new }
        process.environment = processEnvironment
        let logHandle = try FileHandle(forWritingTo: logURL)
        process.standardError = logHandle
        process.standardOutput = logHandle
        try process.run()

        port = try await waitForListeningPort()
    }

    /// Lines the server logged so far.
    var logLines: [String] {
        (try? String(contentsOf: logURL, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    /// Log lines decoded as JSON objects.
    var logRecords: [[String: Any]] {
        logLines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    private func waitForListeningPort() async throws -> Int {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            for record in logRecords where record["message"] as? String == "listening" {
                if let address = record["address"] as? String, let port = Int(address.split(separator: ":").last ?? "")
                {
                    return port
                }
            }
            guard process.isRunning else {
                throw ServerProcessError.exited(
                    status: process.terminationStatus, log: logLines.joined(separator: "\n"))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await kill()
        throw ServerProcessError.noListeningLine(log: logLines.joined(separator: "\n"))
    }

    /// Sends SIGTERM and waits for a graceful exit; returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGTERM)
        }
        return await waitForExit()
    }

    /// Kills the process with SIGKILL, as a crash would, and waits for it.
    func kill() async {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
        }
        await waitForExit()
    }

    /// Waits for the process to exit, however it ended, and returns the exit status.
    @discardableResult
    func waitForExit() async -> Int32 {
        await runOnDedicatedThread { [process] in
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    // A deinit cannot await, so this wait blocks a pool thread. It runs at most once per server, after a
    // test that did not stop it, and after SIGKILL the exit depends on no task, so the wait is short.
    deinit {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

enum ServerProcessError: Error, CustomStringConvertible {
    case exited(status: Int32, log: String)
    case noListeningLine(log: String)

    var description: String {
        switch self {
        case .exited(let status, let log):
            "payments-server exited with status \(status) before listening; its log:\n\(log)"
        case .noListeningLine(let log):
            "payments-server logged no 'listening' line within 30 s; its log:\n\(log)"
        }
    }
}

/// Locations of the executables that `swift build` put next to the test bundle.
enum BuildProducts {
    static func url(of product: String) -> URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test binary is `.build/debug/paymentsPackageTests.xctest`.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent(product).path),
            directory.path != "/"
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent(product)
    }
}

/// Result of one run of the `payments` CLI.
struct CLIResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the `payments` CLI with `arguments` and returns its exit status and output.
func runCLI(
    _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil
) async throws -> CLIResult {
    try await runProduct("payments", arguments, environment: environment, directory: directory)
}

/// Runs the built executable `product` with `arguments` and returns its exit status and output.
///
/// `whileRunning` gets the started process, for example to send it a signal. Standard output and standard
/// error are read at the same time, so a child that fills one pipe while the other is being read cannot
/// deadlock the run.
func runProduct(
    _ product: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
    whileRunning: (Process) async throws -> Void = { _ in }
) async throws -> CLIResult {
    let process = Process()
    process.executableURL = BuildProducts.url(of: product)
    process.arguments = arguments
    var processEnvironment = ProcessInfo.processInfo.environment
    processEnvironment["LANG"] = "C.UTF-8"
    processEnvironment["LC_ALL"] = nil
    processEnvironment.merge(environment) { _, new in new }
    process.environment = processEnvironment
    if let directory {
        process.currentDirectoryURL = directory
    }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()

    let outputHandle = output.fileHandleForReading
    let errorHandle = error.fileHandleForReading
    async let outputData = runOnDedicatedThread { outputHandle.readDataToEndOfFile() }
    async let errorData = runOnDedicatedThread { errorHandle.readDataToEndOfFile() }
    try await whileRunning(process)
    let (standardOutput, standardError) = await (outputData, errorData)
    let status = await runOnDedicatedThread { [process] in
        process.waitUntilExit()
        return process.terminationStatus
    }

    return CLIResult(
        status: status,
        standardOutput: String(decoding: standardOutput, as: UTF8.self),
        standardError: String(decoding: standardError, as: UTF8.self))
}

/// Creates a fresh temporary directory for one test.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("payments-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
