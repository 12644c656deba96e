internal import PaymentsDomain
internal import RPCMessages
internal import RPCTransport

extension Text {
    /// Builds the lines that the CLI prints on standard error for a call that ended with `error`.
    ///
    /// The first line names the domain code, or the RPC status when the code is empty. In Spanish it carries the
    /// explanation of the code and the server's English message follows in brackets. Hints and the details
    /// (except `field`, which the message already names) come last. `command` is the CLI command that made the
    /// call, such as `confirm`: the STORE_UNAVAILABLE hint depends on whether it writes, and some Spanish advice
    /// on which command it is. `keyPassed` is true when the command passed `--idempotency-key`, which makes
    /// running it again safe after a write whose outcome is unknown.
    func errorLines(for error: RPCError, command: String = "", keyPassed: Bool = false) -> [String] {
        var lines: [String] = []
        if let explanation = explanation(domainCode: error.domainCode, details: error.details, command: command) {
            lines.append("error: \(error.domainCode): \(explanation)")
            lines.append("  (\(error.message))")
        } else if error.code == .unavailable && error.domainCode.isEmpty {
            lines.append(contentsOf: unreachable(error))
        } else if language == .spanish && error.domainCode.isEmpty,
            let explanation = Self.spanishExplanation(of: error.code)
        {
            lines.append("error: \(error.code.protoName): \(explanation)")
            lines.append("  (\(error.message))")
        } else {
            lines.append(rpcFailure(code: error.code.protoName, domainCode: error.domainCode, message: error.message))
        }

        if error.code == .unauthenticated {
            // The server's message may already name `payments token create`.
            let namesCreate = error.message.contains("payments token create")
            lines.append("  " + (namesCreate ? tokenSourceHint : tokenHint))
        }
        let afterWrite = PaymentCommands.writeNames.contains(command)
        if error.domainCode == PaymentErrorCode.storeUnavailable.rawValue {
            lines.append("  " + (afterWrite ? storeUnavailableHint : storeUnavailableReadHint))
        } else if afterWrite && error.domainCode.isEmpty && !error.notProcessed
            && Self.outcomeUnknownCodes.contains(error.code)
        {
            lines.append("  " + (keyPassed ? unknownWriteOutcomeWithKeyHint : unknownWriteOutcomeHint))
        }
        for (key, value) in error.details.sorted(by: { $0.key < $1.key }) where key != "field" {
            lines.append("  \(key): \(value)")
        }
        return lines
    }

    /// Returns the Spanish explanation of a domain code, or nil in English and for a code this CLI does not know.
    ///
    /// English output needs none because the server's message is English and names the value and the fix.
    func explanation(domainCode: String, details: [String: String], command: String = "") -> String? {
        guard language == .spanish, let code = PaymentErrorCode(rawValue: domainCode) else {
            return nil
        }
        return Self.spanishExplanation(of: code, details: details, command: command)
    }

    /// Returns the Spanish explanation of `code`.
    ///
    /// The switch has no default, so a new domain code does not compile without its explanation.
    private static func spanishExplanation(of code: PaymentErrorCode, details: [String: String], command: String)
        -> String
    {
        switch code {
        case .paymentNotFound: return "el pago no existe en esa orden; compruebe --order y --payment"
        case .invalidAmount:
            if let outstanding = details["outstanding_minor_units"] {
                return spanishAboveBalance(outstanding: outstanding, currency: details["currency"], command: command)
            }
            return "monto no válido; debe ser mayor que 0, sin más decimales de los que tiene la moneda"
        case .orderAlreadyPaid:
            guard command != "confirm" else {
                return "la orden ya está pagada; no se puede cobrar otra vez, así que libere este pago en el gateway"
            }
            return "la orden ya está pagada; no se puede cobrar otra vez"
        case .refundExceedsPayment:
            let remainder = details["refundable"] ?? details["refundable_minor_units"] ?? "?"
            return "el reembolso excede el pago; queda por reembolsar: \(remainder)"
        case .invalidState: return "el pago no está en un estado que permita esta operación"
        case .invalidCurrency: return "código de moneda ISO 4217 desconocido"
        case .currencyMismatch: return spanishCurrencyMismatch(details)
        case .idempotencyKeyReused:
            return "la clave de idempotencia ya se usó con otra petición; use una clave nueva"
        case .idempotencyKeyInProgress:
            return "la primera llamada con esta clave aún no terminó; reintente en unos segundos"
        case .invalidArgument:
            guard let field = details["field"], !field.isEmpty else {
                return "argumento no válido"
            }
            return "argumento no válido en el campo \(field)"
        case .unauthenticated: return "token ausente, mal formado o desconocido"
        case .permissionDenied: return "el token no tiene el permiso necesario"
        case .storeUnavailable:
            return "la base de datos del servidor no pudo completar la llamada"
        case .eventsExpired:
            guard let oldest = details["oldest_position"].flatMap({ Int64($0) }) else {
                return "esa posición es anterior al evento más antiguo que se conserva; continúe desde el principio"
            }
            return "esa posición es anterior al evento más antiguo que se conserva; continúe con --after "
                + "\(oldest - 1) o con --from-beginning, y cuente con un hueco"
        case .internal:
            return "error interno del servidor; repetir la llamada no lo arregla: avise a quien opera el servidor"
        }
    }

    /// Explains an amount above what is left to pay on the order, with the advice of the server's English message.
    ///
    /// A confirm cannot pay less, so its advice is to release the payment at the gateway. Servers that send no
    /// `currency` get the amount in minor units.
    private static func spanishAboveBalance(outstanding: String, currency: String?, command: String) -> String {
        let left: String
        if let currency, let minorUnits = Int64(outstanding) {
            left = Formatting.amount(minorUnits, currency: currency)
        } else {
            left = "\(outstanding) unidades menores"
        }
        guard command != "confirm" else {
            return "capturar este pago superaría los \(left) que quedan por pagar en la orden; "
                + "libere el pago en el gateway"
        }
        return "el monto supera los \(left) que quedan por pagar en la orden; pague como máximo \(left)"
    }

    /// Explains a currency mismatch: a registration carries `order_currency`, a refund `payment_currency`.
    private static func spanishCurrencyMismatch(_ details: [String: String]) -> String {
        let sent = details["currency"] ?? "?"
        if let orderCurrency = details["order_currency"] {
            return "la moneda \(sent) no coincide con la de la orden, \(orderCurrency); pague la orden en "
                + orderCurrency
        }
        if let paymentCurrency = details["payment_currency"] {
            return "la moneda \(sent) no coincide con la del pago, \(paymentCurrency); use --currency "
                + "\(paymentCurrency) u omita --currency"
        }
        return "la moneda no coincide con la de la orden o la del pago"
    }

    /// Returns the Spanish explanation of a status that came without a domain code, from the client or the
    /// transport, or nil for a status that needs none here.
    private static func spanishExplanation(of code: StatusCode) -> String? {
        switch code {
        case .deadlineExceeded:
            return "la llamada superó su plazo antes de la respuesta; suba --timeout o revise la carga del servidor"
        case .cancelled:
            return "la llamada se canceló antes de la respuesta"
        case .resourceExhausted:
            return "el servidor no admite más llamadas en curso o el mensaje es demasiado grande; reintente más tarde"
        case .unimplemented:
            return "el servidor no conoce este método; compruebe que la CLI y el servidor son de la misma versión"
        case .internal, .unknown:
            return "el servidor falló al atender la llamada; revise su registro"
        default:
            return nil
        }
    }

    func rpcFailure(code: String, domainCode: String, message: String) -> String {
        "error: \(domainCode.isEmpty ? code : domainCode): \(message)"
    }

    /// Builds the lines for UNAVAILABLE without a domain code, which the client reports when it could not reach
    /// the server or the connection broke. In Spanish the transport's English message follows in brackets.
    func unreachable(_ error: RPCError) -> [String] {
        guard language == .spanish else {
            return ["error: UNAVAILABLE: \(error.message); is the server running ('make run') and is --server right?"]
        }
        let explanation =
            error.notProcessed
            ? "no se pudo llegar al servidor y la llamada no se procesó"
            : "se perdió la conexión con el servidor"
        return [
            "error: UNAVAILABLE: \(explanation); ¿está en marcha el servidor ('make run') y es correcto --server?",
            "  (\(error.message))",
        ]
    }

    /// Hint after UNAUTHENTICATED when the server's message already names `payments token create`.
    var tokenSourceHint: String {
        pick("check --token, PAYMENTS_TOKEN or var/dev-token", "revise --token, PAYMENTS_TOKEN o var/dev-token")
    }

    var tokenHint: String {
        pick(
            "check --token, PAYMENTS_TOKEN or var/dev-token; create a token with 'payments token create'",
            "revise --token, PAYMENTS_TOKEN o var/dev-token; cree un token con 'payments token create'")
    }

    /// Hint after STORE_UNAVAILABLE. The server's message requests a retry with the same idempotency key, but the
    /// CLI does not print its random key, and a change may have committed before the connection to the database broke.
    var storeUnavailableHint: String {
        pick(
            "run the command again once the server's database is back; without --idempotency-key, a register, "
                + "confirm, fail or refund may have been made, so check first with 'payments get' or 'payments list'",
            "repita el comando cuando vuelva la base de datos del servidor; sin --idempotency-key, un register, "
                + "confirm, fail o refund puede haberse hecho, así que compruebe antes con 'payments get' o "
                + "'payments list'")
    }

    /// Statuses after which a write that reached the server may still have been made.
    static let outcomeUnknownCodes: [StatusCode] = [.unavailable, .deadlineExceeded, .cancelled]

    /// Hint after a write ended with the connection or the deadline, when the server may have made the change.
    /// Hint after a write whose outcome is unknown when the command passed `--idempotency-key`. The server
    /// replays the stored result for the same key and request, so running the command again is safe.
    var unknownWriteOutcomeWithKeyHint: String {
        pick(
            "the server may have made the change before the call ended; run the same command again with the "
                + "same --idempotency-key, which returns the stored result instead of making the change twice",
            "puede que el servidor haya hecho el cambio antes de que terminara la llamada; repita el mismo "
                + "comando con la misma --idempotency-key, que devuelve el resultado guardado en lugar de hacer "
                + "el cambio dos veces")
    }

    var unknownWriteOutcomeHint: String {
        pick(
            "the server may have made the change before the call ended; check with 'payments get' or "
                + "'payments list' before you run the command again (a retry is safe only with an "
                + "--idempotency-key you passed)",
            "puede que el servidor haya hecho el cambio antes de que terminara la llamada; compruebe con "
                + "'payments get' o 'payments list' antes de repetir el comando (repetirlo solo es seguro con "
                + "una --idempotency-key que usted pasó)")
    }

    /// Message when Ctrl-C ends a write whose call may have reached the server.
    var interruptedWrite: String {
        pick("error: interrupted; ", "error: interrumpido; ") + unknownWriteOutcomeHint
    }

    /// Hint after STORE_UNAVAILABLE for a command that only reads.
    var storeUnavailableReadHint: String {
        pick(
            "run the command again once the server's database is back",
            "repita el comando cuando vuelva la base de datos del servidor")
    }
}
