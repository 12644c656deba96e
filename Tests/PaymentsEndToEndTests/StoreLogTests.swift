import Foundation
import Testing

@Suite("Store location in the log")
struct StoreLogTests {
    /// A password that the throwaway PostgreSQL, which trusts every local connection, never checks.
    private let password = "pw-never-logged-7f3a"

    /// Returns the `host` and `port` query parameters of a `postgresql:///db?host=…&port=…` URI.
    private func hostAndPort(of url: String) -> (host: String, port: String)? {
        let items = URLComponents(string: url)?.queryItems ?? []
        guard let host = items.first(where: { $0.name == "host" })?.value,
            let port = items.first(where: { $0.name == "port" })?.value
        else {
            return nil
        }
        return (host, port)
    }

    @Test("listening line names the PostgreSQL host")
    func listeningNamesHost() async throws {
        guard StoreKind.available.contains(.postgres) else {
            return
        }
        let directory = try makeTemporaryDirectory()
        let url = try StoreKind.postgres.storeArgument(in: directory) + "&password=\(password)"
        let target = try #require(hostAndPort(of: url), "the test URI has no host and port parameters: \(url)")

        let server = try await ServerProcess(
            directory: directory, arguments: ["--store", url, "--development-tokens", "var"])
        #expect(await server.stop() == 0)

        let listening = server.logRecords.first { $0["message"] as? String == "listening" }
        #expect(
            listening?["store"] as? String == "host=\(target.host) port=\(target.port) dbname=payments user=postgres")
        #expect(!server.logLines.joined(separator: "\n").contains(password))
    }

    @Test("failed open names the PostgreSQL host")
    func failedOpenNamesHost() async throws {
        guard StoreKind.available.contains(.postgres) else {
            return
        }
        let directory = try makeTemporaryDirectory()
        let workingURL = try StoreKind.postgres.storeArgument(in: directory)
        let target = try #require(hostAndPort(of: workingURL), "the test URI has no host and port: \(workingURL)")
        // Port 1 of the same socket directory has no server, so opening the store fails.
        let url =
            workingURL.replacingOccurrences(of: "port=\(target.port)", with: "port=1") + "&password=\(password)"

        var log = ""
        do {
            let server = try await ServerProcess(
                directory: directory, arguments: ["--store", url, "--development-tokens", "var"])
            await server.kill()
            Issue.record("the server started on a port without PostgreSQL")
        } catch ServerProcessError.exited(let status, let exitLog) {
            #expect(status == 1)
            log = exitLog
        }

        let record = log.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.first { $0["message"] as? String == "cannot open the store" }
        #expect(record?["store"] as? String == "host=\(target.host) port=1 dbname=payments user=postgres")
        #expect(!log.contains(password))
    }
}
