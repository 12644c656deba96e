import PaymentsCommandLine
import PaymentsDomain
import PaymentsService
import RPCTransport
import Testing

@testable import PaymentsCLI

@Suite("CLI error text")
struct ErrorTextTests {
    /// Builds the error that the server sends for `code` with the server's own mapping from domain errors to statuses.
    private func serverError(_ code: PaymentErrorCode, details: [String: String] = [:]) -> RPCError {
        PaymentError(code, "message from the server", details: details).rpcError
    }

    @Test("Spanish explains every domain code", arguments: PaymentErrorCode.allCases)
    func spanishExplanation(code: PaymentErrorCode) {
        let text = Text(language: .spanish)

        let explanation = text.explanation(domainCode: code.rawValue, details: [:])
        let lines = text.errorLines(for: serverError(code))

        #expect(explanation != nil, "\(code.rawValue) has no Spanish explanation")
        #expect(lines.first == "error: \(code.rawValue): \(explanation ?? "")")
        #expect(lines.dropFirst().first == "  (message from the server)")
    }

    @Test("English shows the server's message", arguments: PaymentErrorCode.allCases)
    func englishMessage(code: PaymentErrorCode) {
        let text = Text(language: .english)

        let lines = text.errorLines(for: serverError(code))

        #expect(text.explanation(domainCode: code.rawValue, details: [:]) == nil)
        #expect(lines.first == "error: \(code.rawValue): message from the server")
    }

    @Test("store unavailable gets a hint", arguments: [Language.english, .spanish])
    func storeUnavailableHint(language: Language) {
        let text = Text(language: language)

        let lines = text.errorLines(for: serverError(.storeUnavailable, details: ["sqlstate": "57P01"]))

        #expect(lines.contains("  " + text.storeUnavailableHint))
        #expect(lines.last == "  sqlstate: 57P01")
        #expect(lines.allSatisfy { !$0.contains("STORE_UNAVAILABLE") || $0.hasPrefix("error: STORE_UNAVAILABLE: ") })
    }

    @Test("store unavailable after a read gets the read hint", arguments: [Language.english, .spanish])
    func storeUnavailableReadHint(language: Language) {
        let text = Text(language: language)

        let lines = text.errorLines(for: serverError(.storeUnavailable), afterWrite: false)

        #expect(lines.contains("  " + text.storeUnavailableReadHint))
        #expect(!lines.contains("  " + text.storeUnavailableHint))
    }

    @Test("events expired names the resume position")
    func eventsExpiredPosition() {
        let error = serverError(.eventsExpired, details: ["oldest_position": "41", "requested_position": "7"])

        let lines = Text(language: .spanish).errorLines(for: error)

        #expect(lines.first?.contains("--after 40") == true, "\(lines)")
        #expect(lines.contains("  oldest_position: 41"))
        #expect(lines.contains("  requested_position: 7"))
    }

    @Test("refund remainder in Spanish")
    func refundRemainder() {
        let details = ["refundable_minor_units": "10000", "currency": "USD"]

        let lines = Text(language: .spanish).errorLines(for: serverError(.refundExceedsPayment, details: details))

        #expect(
            lines.first
                == "error: REFUND_EXCEEDS_PAYMENT: el reembolso excede el pago; queda por reembolsar: 100.00 USD")
    }

    @Test("amount above balance in Spanish")
    func amountAboveBalance() {
        let details = ["field": "amount_minor_units", "outstanding_minor_units": "400"]

        let lines = Text(language: .spanish).errorLines(for: serverError(.invalidAmount, details: details))

        #expect(lines.first == "error: INVALID_AMOUNT: el monto supera lo que queda por pagar en la orden")
        #expect(lines.contains("  outstanding_minor_units: 400"))
    }

    @Test("unknown domain code keeps the server's message")
    func unknownDomainCode() {
        let error = RPCError(code: .failedPrecondition, message: "message from a newer server", domainCode: "NEW_CODE")

        let lines = Text(language: .spanish).errorLines(for: error)

        #expect(lines == ["error: NEW_CODE: message from a newer server"])
    }

    @Test("transport error without a domain code")
    func transportError() {
        let error = RPCError(code: .unavailable, message: "the server closed the connection")

        let lines = Text(language: .english).errorLines(for: error)

        #expect(
            lines == [
                "error: UNAVAILABLE: the server closed the connection; is the server running ('make run') and is --server right?"
            ])
    }
}
