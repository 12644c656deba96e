import PaymentsCommandLine
import Testing

@testable import PaymentsCLI

@Suite("CLI amount checks")
struct AmountCheckTests {
    /// Runs `payments register` with `amount` and `currency`, and returns the usage message of its local check.
    ///
    /// The checks run before the token is looked up or the server is called, so no server is needed.
    private func usageMessage(amount: String, currency: String, language: Language) async -> String? {
        let text = Text(language: language)
        let commands = PaymentCommands(text: text, environment: [:], output: Output(text: text))
        let arguments = ["--order", "order_9", "--amount", amount, "--currency", currency, "--method", "cash"]
        do {
            try await commands.run("register", arguments)
            return nil
        } catch {
            guard case .usage(let message) = error else {
                return nil
            }
            return message
        }
    }

    @Test(
        "Spanish names the reason",
        arguments: [
            (
                "87.957975", "USD",
                "INVALID_AMOUNT: valor no válido '87.957975' para --amount: tiene 6 decimales pero USD tiene 2; "
                    + "los montos nunca se redondean"
            ),
            (
                "500.5", "JPY",
                "INVALID_AMOUNT: valor no válido '500.5' para --amount: tiene 1 decimal pero JPY tiene 0; "
                    + "los montos nunca se redondean"
            ),
            (
                "0", "USD",
                "INVALID_AMOUNT: valor no válido '0' para --amount: debe ser mayor que 0; 0 nunca significa el "
                    + "monto completo"
            ),
            (
                "0.00", "USD",
                "INVALID_AMOUNT: valor no válido '0.00' para --amount: debe ser mayor que 0; 0 nunca significa el "
                    + "monto completo"
            ),
            (
                "10000000000000.01", "USD",
                "INVALID_AMOUNT: valor no válido '10000000000000.01' para --amount: supera el máximo de "
                    + "10000000000000.00 USD"
            ),
            (
                "1,000.00", "USD",
                "INVALID_AMOUNT: valor no válido '1,000.00' para --amount: no es un número decimal; escriba cifras "
                    + "con un '.' opcional, como 150.00"
            ),
            (
                "5.", "KWD",
                "INVALID_AMOUNT: valor no válido '5.' para --amount: no es un número decimal; escriba cifras con "
                    + "un '.' opcional, como 150.000"
            ),
        ])
    func spanishReason(amount: String, currency: String, expected: String) async {
        let message = await usageMessage(amount: amount, currency: currency, language: .spanish)

        #expect(message == expected)
    }

    @Test("English maximum names the currency")
    func englishMaximum() async {
        let message = await usageMessage(amount: "10000000000000.01", currency: "USD", language: .english)

        #expect(
            message
                == "INVALID_AMOUNT: --amount '10000000000000.01' USD is above the maximum of 10000000000000.00 USD")
    }
}
