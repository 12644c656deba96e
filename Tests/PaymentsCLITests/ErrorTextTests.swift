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

        let lines = text.errorLines(
            for: serverError(.storeUnavailable, details: ["sqlstate": "57P01"]), command: "register")

        #expect(lines.contains("  " + text.storeUnavailableHint))
        #expect(lines.last == "  sqlstate: 57P01")
        #expect(lines.allSatisfy { !$0.contains("STORE_UNAVAILABLE") || $0.hasPrefix("error: STORE_UNAVAILABLE: ") })
    }

    @Test("store unavailable after a read gets the read hint", arguments: [Language.english, .spanish])
    func storeUnavailableReadHint(language: Language) {
        let text = Text(language: language)

        let lines = text.errorLines(for: serverError(.storeUnavailable), command: "get")

        #expect(lines.contains("  " + text.storeUnavailableReadHint))
        #expect(!lines.contains("  " + text.storeUnavailableHint))
    }

    @Test("write with unknown outcome gets a hint", arguments: [Language.english, .spanish])
    func unknownWriteOutcomeHint(language: Language) {
        let text = Text(language: language)
        let lost = RPCError(code: .unavailable, message: "the server closed the connection", isRetryable: true)
        let timedOut = RPCError(code: .deadlineExceeded, message: "the call took longer than 1s")

        for command in ["register", "confirm", "fail", "refund"] {
            #expect(text.errorLines(for: lost, command: command).last == "  " + text.unknownWriteOutcomeHint)
            #expect(text.errorLines(for: timedOut, command: command).last == "  " + text.unknownWriteOutcomeHint)
        }
    }

    @Test("unknown outcome with a passed key", arguments: [Language.english, .spanish])
    func unknownOutcomeWithKey(language: Language) {
        let text = Text(language: language)
        let lost = RPCError(code: .unavailable, message: "the server closed the connection", isRetryable: true)

        let withKey = text.errorLines(for: lost, command: "refund", keyPassed: true)
        let withoutKey = text.errorLines(for: lost, command: "refund")

        #expect(withKey.last == "  " + text.unknownWriteOutcomeWithKeyHint)
        #expect(withoutKey.last == "  " + text.unknownWriteOutcomeHint)
        #expect(!withKey.contains("  " + text.unknownWriteOutcomeHint))
    }

    @Test("write the server never ran gets no hint")
    func notProcessedWriteHasNoHint() {
        let text = Text(language: .english)
        let refused = RPCError(
            code: .unavailable, message: "cannot connect", isRetryable: true, notProcessed: true)
        let lost = RPCError(code: .unavailable, message: "the server closed the connection", isRetryable: true)

        #expect(!text.errorLines(for: refused, command: "register").contains("  " + text.unknownWriteOutcomeHint))
        #expect(!text.errorLines(for: lost, command: "get").contains("  " + text.unknownWriteOutcomeHint))
        #expect(!text.errorLines(for: lost, command: "list").contains("  " + text.unknownWriteOutcomeHint))
    }

    @Test("unreachable server explained in Spanish")
    func unreachableSpanish() {
        let text = Text(language: .spanish)
        let refusedMessage = "cannot connect to 127.0.0.1:1: connect failed: Connection refused (errno 111)"
        let refused = RPCError(code: .unavailable, message: refusedMessage, isRetryable: true, notProcessed: true)
        let lost = RPCError(code: .unavailable, message: "the server closed the connection", isRetryable: true)

        let refusedLines = text.errorLines(for: refused, command: "get")
        let lostLines = text.errorLines(for: lost, command: "get")

        #expect(refusedLines.first?.hasPrefix("error: UNAVAILABLE: no se pudo llegar al servidor") == true)
        #expect(refusedLines.first?.contains("¿está en marcha el servidor") == true)
        #expect(refusedLines.first?.contains("Connection refused") == false)
        #expect(refusedLines.dropFirst().first == "  (\(refusedMessage))")
        #expect(lostLines.first?.hasPrefix("error: UNAVAILABLE: se perdió la conexión con el servidor") == true)
        #expect(lostLines.dropFirst().first == "  (the server closed the connection)")
    }

    @Test("client statuses explained in Spanish")
    func clientStatusesSpanish() {
        let timedOut = RPCError(code: .deadlineExceeded, message: "the call's deadline passed before a response")

        let spanish = Text(language: .spanish).errorLines(for: timedOut, command: "get")
        let english = Text(language: .english).errorLines(for: timedOut, command: "get")

        #expect(spanish.first?.hasPrefix("error: DEADLINE_EXCEEDED: la llamada superó su plazo") == true, "\(spanish)")
        #expect(spanish.dropFirst().first == "  (the call's deadline passed before a response)")
        #expect(english == ["error: DEADLINE_EXCEEDED: the call's deadline passed before a response"])
    }

    @Test("unreachable server in English keeps one line")
    func unreachableEnglish() {
        let refused = RPCError(code: .unavailable, message: "cannot connect", isRetryable: true, notProcessed: true)

        let lines = Text(language: .english).errorLines(for: refused, command: "get")

        #expect(
            lines == ["error: UNAVAILABLE: cannot connect; is the server running ('make run') and is --server right?"])
    }

    @Test("token hint names token create once", arguments: [Language.english, .spanish])
    func tokenHintOnce(language: Language) {
        let text = Text(language: language)
        let unknown = RPCError(
            code: .unauthenticated,
            message: "unknown bearer token. It was revoked or never issued, so create one with `payments token create`")
        let missing = RPCError(
            code: .unauthenticated, message: "missing authorization header. Send `authorization: Bearer <token>`")

        let unknownLines = text.errorLines(for: unknown, command: "get")
        let missingLines = text.errorLines(for: missing, command: "get")

        #expect(unknownLines.last == "  " + text.tokenSourceHint)
        #expect(unknownLines.joined().components(separatedBy: "payments token create").count == 2)
        #expect(missingLines.last == "  " + text.tokenHint)
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

    /// Returns the error that `check` throws, as the server sends it.
    private func thrownError(_ check: () throws(PaymentError) -> Void) -> RPCError? {
        do {
            try check()
            return nil
        } catch {
            return error.rpcError
        }
    }

    /// An order with a total of 10.00 USD and 6.00 USD paid, so 4.00 USD are left to pay.
    private let balance = OrderBalance(orderID: "order_1", currency: "USD", totalMinorUnits: 1000, paidMinorUnits: 600)

    @Test("register above balance in Spanish")
    func registerAboveBalance() throws {
        let error = try #require(
            thrownError { () throws(PaymentError) in
                try balance.checkRegistration(amountMinorUnits: 401, currency: "USD", requestedTotal: nil)
            })

        let lines = Text(language: .spanish).errorLines(for: error, command: "register")

        #expect(
            lines.first
                == "error: INVALID_AMOUNT: el monto supera los 4.00 USD que quedan por pagar en la orden; "
                + "pague como máximo 4.00 USD")
        #expect(lines.contains("  outstanding_minor_units: 400"))
    }

    @Test("confirm above balance in Spanish")
    func confirmAboveBalance() throws {
        let error = try #require(
            thrownError { () throws(PaymentError) in try balance.checkCapture(amountMinorUnits: 500) })

        let lines = Text(language: .spanish).errorLines(for: error, command: "confirm")

        #expect(
            lines.first
                == "error: INVALID_AMOUNT: capturar este pago superaría los 4.00 USD que quedan por pagar en la "
                + "orden; libere el pago en el gateway")
    }

    @Test("paid order on confirm in Spanish")
    func paidOrderOnConfirm() {
        let text = Text(language: .spanish)

        let confirm = text.errorLines(for: serverError(.orderAlreadyPaid), command: "confirm")
        let register = text.errorLines(for: serverError(.orderAlreadyPaid), command: "register")

        #expect(
            confirm.first
                == "error: ORDER_ALREADY_PAID: la orden ya está pagada; no se puede cobrar otra vez, así que libere "
                + "este pago en el gateway")
        #expect(register.first == "error: ORDER_ALREADY_PAID: la orden ya está pagada; no se puede cobrar otra vez")
    }

    @Test("above balance without currency in Spanish")
    func aboveBalanceWithoutCurrency() {
        let details = ["field": "amount_minor_units", "outstanding_minor_units": "400"]

        let lines = Text(language: .spanish).errorLines(for: serverError(.invalidAmount, details: details))

        #expect(
            lines.first
                == "error: INVALID_AMOUNT: el monto supera los 400 unidades menores que quedan por pagar en la "
                + "orden; pague como máximo 400 unidades menores")
    }

    @Test("register currency mismatch names the order")
    func registerCurrencyMismatch() throws {
        let error = try #require(
            thrownError { () throws(PaymentError) in
                try balance.checkRegistration(amountMinorUnits: 100, currency: "EUR", requestedTotal: nil)
            })

        let lines = Text(language: .spanish).errorLines(for: error, command: "register")

        #expect(
            lines.first
                == "error: CURRENCY_MISMATCH: la moneda EUR no coincide con la de la orden, USD; pague la orden en USD")
    }

    @Test("refund currency mismatch names the payment")
    func refundCurrencyMismatch() {
        let details = ["payment_currency": "USD", "currency": "EUR"]

        let lines = Text(language: .spanish).errorLines(
            for: serverError(.currencyMismatch, details: details), command: "refund")

        #expect(
            lines.first
                == "error: CURRENCY_MISMATCH: la moneda EUR no coincide con la del pago, USD; use --currency USD "
                + "u omita --currency")
    }

    @Test("invalid argument names the field in Spanish")
    func invalidArgumentField() {
        let error = serverError(.invalidArgument, details: ["field": "order_id"])

        let lines = Text(language: .spanish).errorLines(for: error)

        #expect(lines.first == "error: INVALID_ARGUMENT: argumento no válido en el campo order_id")
        #expect(!lines.contains { $0.hasPrefix("  field:") })
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

    /// A watch the server ended because its consumer read nothing for the stall timeout.
    private static let stalledWatch = RPCError(
        code: .resourceExhausted, message: "the watcher read no event for 1.0 seconds: resume after position 7",
        details: ["resume_after_position": "7"], isRetryable: true)
    /// A watch the server ended because it drains.
    private static let drainedWatch = RPCError(
        code: .unavailable, message: "the server is shutting down: resume after position 9",
        details: ["resume_after_position": "9"], isRetryable: true)
    /// A watch whose connection broke, so the only safe resume position is the last printed one.
    private static let lostWatch = RPCError(code: .unavailable, message: "the server closed the connection")

    @Test("watch end explains the cause in Spanish")
    func watchEndSpanish() {
        let text = Text(language: .spanish)

        #expect(
            text.watchEnded(Self.stalledWatch, resumeAfter: 7, complete: true) == [
                "seguimiento terminado: el observador no leyó ningún evento durante el --watch-stall-timeout del "
                    + "servidor; continúe con --after 7",
                "  (the watcher read no event for 1.0 seconds: resume after position 7)",
            ])
        #expect(
            text.watchEnded(Self.drainedWatch, resumeAfter: 9, complete: true) == [
                "seguimiento terminado: el servidor se está deteniendo; continúe con --after 9",
                "  (the server is shutting down: resume after position 9)",
            ])
        #expect(
            text.watchEnded(Self.lostWatch, resumeAfter: 42, complete: false) == [
                "seguimiento terminado; continúe con --after 42"
            ])
    }

    @Test("watch end names the cause in English")
    func watchEndEnglish() {
        let text = Text(language: .english)
        let internalFailure = RPCError(
            code: .internal, message: "the feed failed", details: ["resume_after_position": "3"])

        #expect(
            text.watchEnded(Self.stalledWatch, resumeAfter: 7, complete: true) == [
                "watch ended: the watcher read no event within the server's --watch-stall-timeout; resume with --after 7"
            ])
        #expect(
            text.watchEnded(Self.drainedWatch, resumeAfter: 9, complete: true) == [
                "watch ended: the server is shutting down; resume with --after 9"
            ])
        #expect(
            text.watchEnded(internalFailure, resumeAfter: 3, complete: true) == [
                "watch ended: the server ended the watch with INTERNAL; resume with --after 3", "  (the feed failed)",
            ])
        #expect(
            text.watchEnded(Self.lostWatch, resumeAfter: 42, complete: false) == [
                "watch ended: the server closed the connection; resume with --after 42"
            ])
    }

    @Test("failure line without trailing space")
    func failureLine() {
        #expect(Text(language: .english).failure(code: "card_declined", message: "") == "failure: card_declined")
        #expect(
            Text(language: .english).failure(code: "card_declined", message: "Declined.")
                == "failure: card_declined Declined.")
        #expect(Text(language: .spanish).failure(code: "card_declined", message: "") == "fallo: card_declined")
    }
}
