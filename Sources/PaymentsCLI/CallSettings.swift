import Foundation
internal import PaymentsCommandLine
internal import RPCTransport
import Synchronization

/// Where and how the CLI calls the server: address, token, deadline and output format.
struct CallSettings {
    static let optionNames: Set<String> = ["server", "token", "idempotency-key", "timeout"]
    static let flagNames: Set<String> = ["json"]
    static let defaultServer = "127.0.0.1:7070"
    static let developmentTokenPath = "var/dev-token"
    /// Whether this process's command passed `--idempotency-key`, for the hint after a write whose outcome is
    /// unknown. Set once, when the settings are read, because the CLI runs one command per process.
    static let idempotencyKeyPassed = Atomic<Bool>(false)

    var host: String
    var port: Int
    var token: String
    var idempotencyKey: String?
    var timeout: Duration
    var json: Bool

    /// Reads the call settings; the token comes from `--token`, `PAYMENTS_TOKEN` or `var/dev-token`, in that order.
    init(arguments: CommandLineArguments, environment: [String: String], text: Text) throws(CLIFailure) {
        let server =
            arguments.value("server", environment: environment, variable: "PAYMENTS_SERVER") ?? Self.defaultServer
        guard let (host, port) = ValueParsers.hostAndPort(server), port > 0 else {
            throw .usage(text.invalidValue("server", server, text.expectedHostAndPort))
        }
        // The transport takes IPv4 literals; localhost is the one name worth accepting here.
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.port = port

        if let token = arguments.value("token", environment: environment, variable: "PAYMENTS_TOKEN") {
            // An empty --token would reach the server as a malformed header; it is a missing token.
            guard !token.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw .localFile(text.noToken)
            }
            // The CLI adds the scheme itself. The message leaves the value out, because it contains a secret.
            guard !token.lowercased().hasPrefix("bearer ") else {
                throw .usage(text.tokenWithScheme)
            }
            self.token = token
        } else {
            self.token = try Self.readDevelopmentToken(text: text)
        }

        idempotencyKey = arguments.values["idempotency-key"]
        Self.idempotencyKeyPassed.store(idempotencyKey != nil, ordering: .relaxed)
        if let timeoutText = arguments.values["timeout"] {
            guard let timeout = ValueParsers.duration(timeoutText), timeout > .zero else {
                throw .usage(text.invalidValue("timeout", timeoutText, text.expectedDuration))
            }
            self.timeout = timeout
        } else {
            timeout = .seconds(10)
        }
        json = arguments.isSet("json")
    }

    private static func readDevelopmentToken(text: Text) throws(CLIFailure) -> String {
        guard FileManager.default.fileExists(atPath: developmentTokenPath) else {
            throw .localFile(text.noToken)
        }
        do {
            let contents = try String(contentsOfFile: developmentTokenPath, encoding: .utf8)
            let token = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw CLIFailure.localFile(text.noToken)
            }
            return token
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw .localFile(text.tokenFileUnreadable(developmentTokenPath, error.localizedDescription))
        }
    }

    /// Options for one call: the token and, for mutating calls, the caller's idempotency key if any.
    var callOptions: CallOptions {
        CallOptions(timeout: timeout, authorization: "Bearer \(token)", idempotencyKey: idempotencyKey)
    }

    var address: String { "\(host):\(port)" }
}
