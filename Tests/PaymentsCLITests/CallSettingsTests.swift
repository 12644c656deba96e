import PaymentsCommandLine
import Testing

@testable import PaymentsCLI

@Suite("CLI call settings")
struct CallSettingsTests {
    @Test("empty token is a missing token", arguments: [Language.english, .spanish], ["", " "])
    func emptyToken(language: Language, token: String) throws {
        let text = Text(language: language)
        let arguments = try CommandLineArguments(
            ["--token", token], options: CallSettings.optionNames, flags: CallSettings.flagNames)

        let failure = #expect(throws: CLIFailure.self) {
            _ = try CallSettings(arguments: arguments, environment: [:], text: text)
        }

        guard case .localFile(let message) = failure else {
            Issue.record("expected a local failure, got \(String(describing: failure))")
            return
        }
        #expect(message == text.noToken)
    }

    @Test("token with the scheme is rejected", arguments: ["Bearer ptk_example", "bearer ptk_example"])
    func tokenWithScheme(token: String) throws {
        let text = Text(language: .english)
        let arguments = try CommandLineArguments(
            ["--token", token], options: CallSettings.optionNames, flags: CallSettings.flagNames)

        let failure = #expect(throws: CLIFailure.self) {
            _ = try CallSettings(arguments: arguments, environment: [:], text: text)
        }

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
