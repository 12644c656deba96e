import PaymentsCommandLine
import Testing

@testable import PaymentsCLI

@Suite("CLI call settings")
struct CallSettingsTests {
    /// Reads the call settings of `--token token` and returns the failure they throw.
    private func failure(token: String, text: Text) throws -> CLIFailure? {
        let arguments = try CommandLineArguments(
            ["--token", token], options: CallSettings.optionNames, flags: CallSettings.flagNames)
        return #expect(throws: CLIFailure.self) {
            _ = try CallSettings(arguments: arguments, environment: [:], text: text)
        }
    }

    @Test("empty token is a missing token", arguments: [Language.english, .spanish], ["", " "])
    func emptyToken(language: Language, token: String) throws {
        let text = Text(language: language)

        let failure = try failure(token: token, text: text)

        guard case .localFile(let message) = failure else {
            Issue.record("expected a local failure, got \(String(describing: failure))")
            return
        }
        #expect(message == text.noToken)
    }

    @Test("token with the scheme is rejected", arguments: ["Bearer ptk_example", "bearer ptk_example"])
    func tokenWithScheme(token: String) throws {
        let text = Text(language: .english)

        let failure = try failure(token: token, text: text)

        guard case .usage(let message) = failure else {
            Issue.record("expected a usage failure, got \(String(describing: failure))")
            return
        }
        #expect(message == text.tokenWithScheme)
        #expect(!message.contains("ptk_example"))
    }

    @Test("given token is sent as bearer")
    func givenToken() throws {
        let arguments = try CommandLineArguments(
            ["--token", "ptk_example"], options: CallSettings.optionNames, flags: CallSettings.flagNames)

        let settings = try CallSettings(arguments: arguments, environment: [:], text: Text(language: .english))

        #expect(settings.callOptions.authorization == "Bearer ptk_example")
    }
}
