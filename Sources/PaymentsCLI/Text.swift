internal import PaymentsCommandLine
internal import RPCMessages
internal import RPCTransport

/// Every sentence the CLI prints, in English and Spanish.
///
/// RPC status names and domain codes (`PAYMENT_NOT_FOUND`) stay as they are in both languages.
struct Text: Sendable {
    let language: Language

    func pick(_ english: String, _ spanish: String) -> String {
        language == .spanish ? spanish : english
    }

    // MARK: Command-line problems

    func unknownOption(_ name: String) -> String {
        pick(
            "unknown option --\(name): run 'payments help' to list the options",
            "opción desconocida --\(name): ejecute 'payments help' para ver las opciones")
    }

    func missingValue(_ name: String) -> String {
        pick(
            "option --\(name) needs a value: write --\(name) VALUE",
            "la opción --\(name) necesita un valor: escriba --\(name) VALOR")
    }

    func invalidValue(_ name: String, _ value: String, _ expected: String) -> String {
        pick(
            "invalid value '\(value)' for --\(name): expected \(expected)",
            "valor no válido '\(value)' para --\(name): se espera \(expected)")
    }

    func unexpectedArguments(_ command: String, _ arguments: [String]) -> String {
        let list = arguments.joined(separator: " ")
        return pick(
            "'\(command)' takes no arguments, got '\(list)'; run 'payments \(command)' alone",
            "'\(command)' no lleva argumentos, se recibió '\(list)'; ejecute 'payments \(command)' solo")
    }

    /// Error for a `--token` or `PAYMENTS_TOKEN` that starts with the `Bearer` scheme.
    var tokenWithScheme: String {
        pick(
            "--token and PAYMENTS_TOKEN take the token alone, such as ptk_…; leave out 'Bearer ', which the CLI adds",
            "--token y PAYMENTS_TOKEN llevan solo el token, como ptk_…; quite 'Bearer ', que la CLI añade")
    }

    func missingOption(_ name: String) -> String {
        pick(
            "missing option --\(name): this command needs it",
            "falta la opción --\(name): este comando la necesita")
    }

    var missingRefundAmount: String {
        pick(
            "missing option --amount: give --amount DECIMAL, or --remainder to refund what is left",
            "falta la opción --amount: indique --amount DECIMAL, o --remainder para reembolsar lo que queda")
    }

    var missingGatewayPaymentID: String {
        pick(
            "missing option --gateway-payment-id: card payments need the gateway's payment id, such as pi_1234567890",
            "falta la opción --gateway-payment-id: los pagos con tarjeta necesitan el id del gateway, como pi_1234567890"
        )
    }

    var missingCommand: String {
        pick(
            "missing command: run 'payments help' to list the commands",
            "falta el comando: ejecute 'payments help' para ver los comandos")
    }

    func unknownCommand(_ name: String) -> String {
        pick(
            "unknown command '\(name)': run 'payments help' to list the commands",
            "comando desconocido '\(name)': ejecute 'payments help' para ver los comandos")
    }

    func unexpectedArgument(_ value: String) -> String {
        pick(
            "unexpected argument '\(value)': options start with --",
            "argumento inesperado '\(value)': las opciones empiezan por --")
    }

    func conflictingOptions(_ first: String, _ second: String) -> String {
        pick(
            "--\(first) and --\(second) cannot be used together: pick one",
            "--\(first) y --\(second) no pueden usarse juntas: elija una")
    }

    var expectedMethod: String {
        pick("card, cash, bank_transfer or customer_credit", "card, cash, bank_transfer o customer_credit")
    }

    var expectedGateway: String {
        pick("stripe, pos, manual or internal", "stripe, pos, manual o internal")
    }

    var expectedCurrency: String {
        pick("an ISO 4217 code such as USD, EUR, JPY or KWD", "un código ISO 4217 como USD, EUR, JPY o KWD")
    }

    var expectedHostAndPort: String {
        pick("HOST:PORT, for example 127.0.0.1:7070", "HOST:PUERTO, por ejemplo 127.0.0.1:7070")
    }

    var expectedDuration: String {
        pick("a duration such as 500ms, 10s or 2m", "una duración como 500ms, 10s o 2m")
    }

    var expectedPositiveInteger: String {
        pick("a whole number above 0", "un número entero mayor que 0")
    }

    var expectedPosition: String {
        pick("an event position, a whole number of 0 or more", "una posición de evento, un número entero de 0 o más")
    }

    // MARK: Tokens

    var noToken: String {
        pick(
            "no token: pass --token, set PAYMENTS_TOKEN, or start the server with 'make run' to create var/dev-token",
            "no hay token: use --token, defina PAYMENTS_TOKEN o arranque el servidor con 'make run' para crear var/dev-token"
        )
    }

    func tokenFileUnreadable(_ path: String, _ reason: String) -> String {
        pick("cannot read the token in \(path): \(reason)", "no se puede leer el token de \(path): \(reason)")
    }

    var tokenShownOnce: String {
        pick(
            "Store this token now: it is shown only once and only its SHA-256 hash is kept.",
            "Guarde este token ahora: se muestra una sola vez y solo se conserva su hash SHA-256.")
    }

    func tokenRevoked(_ name: String) -> String {
        pick(
            "token '\(name)' revoked; a running server drops it on SIGHUP",
            "token '\(name)' revocado; un servidor en marcha lo descarta al recibir SIGHUP")
    }

    var noTokens: String {
        pick("no tokens in the file", "no hay tokens en el fichero")
    }

    // MARK: Results

    func notServing(_ status: String) -> String {
        pick(
            "error: the server answered \(status): it is draining, or its store is failing (look for 'store call failed' in its log)",
            "error: el servidor respondió \(status): está drenando o su almacén falla (busque 'store call failed' en su log)"
        )
    }

    func localFailure(_ message: String) -> String {
        pick("error: \(message)", "error: \(message)")
    }

    // MARK: Tables

    var paymentHeaders: [String] {
        language == .spanish
            ? ["PAGO", "ORDEN", "ESTADO", "MONTO", "REEMBOLSADO", "MÉTODO", "GATEWAY", "ID EN GATEWAY", "CREADO"]
            : ["PAYMENT", "ORDER", "STATUS", "AMOUNT", "REFUNDED", "METHOD", "GATEWAY", "GATEWAY ID", "CREATED"]
    }

    var refundHeaders: [String] {
        language == .spanish
            ? ["  REEMBOLSO", "PAGO", "MONTO", "MOTIVO", "CREADO"]
            : ["  REFUND", "PAYMENT", "AMOUNT", "REASON", "CREATED"]
    }

    var eventHeaders: [String] {
        language == .spanish
            ? ["POSICIÓN", "TIPO", "ORDEN", "PAGO", "ESTADO", "MONTO", "REEMBOLSADO", "HORA"]
            : ["POSITION", "TYPE", "ORDER", "PAYMENT", "STATUS", "AMOUNT", "REFUNDED", "TIME"]
    }

    func orderSummary(currency: String, total: String, paid: String) -> String {
        pick(
            "order currency \(currency), total \(total), paid \(paid)",
            "moneda de la orden \(currency), total \(total), pagado \(paid)")
    }

    var noPayments: String {
        pick("no payments for this order", "la orden no tiene pagos")
    }

    func nextPage(_ token: String) -> String {
        pick("more payments: repeat with --page-token \(token)", "hay más pagos: repita con --page-token \(token)")
    }

    var notGiven: String {
        pick("not given", "no indicado")
    }

    /// Returns the lines printed when a watch ends with `error` and a known resume position.
    ///
    /// `complete` is true when no error lines follow, and the lines then name the cause. The server's message
    /// follows in brackets in Spanish, as in the error lines, and for a status this CLI does not expect.
    func watchEnded(_ error: RPCError, resumeAfter: Int64, complete: Bool) -> [String] {
        guard complete else {
            return [
                pick(
                    "watch ended: \(error.message); resume with --after \(resumeAfter)",
                    "seguimiento terminado; continúe con --after \(resumeAfter)")
            ]
        }
        let cause: String
        var showsMessage = language == .spanish
        switch error.code {
        case .resourceExhausted:
            cause = pick(
                "the watcher read no event within the server's --watch-stall-timeout",
                "el observador no leyó ningún evento durante el --watch-stall-timeout del servidor")
        case .unavailable:
            cause = pick("the server is shutting down", "el servidor se está deteniendo")
        default:
            cause = pick(
                "the server ended the watch with \(error.code.protoName)",
                "el servidor terminó el seguimiento con \(error.code.protoName)")
            showsMessage = true
        }
        let line = pick(
            "watch ended: \(cause); resume with --after \(resumeAfter)",
            "seguimiento terminado: \(cause); continúe con --after \(resumeAfter)")
        return showsMessage ? [line, "  (\(error.message))"] : [line]
    }

    /// Returns the line under a failed payment with the gateway's failure code and message, if it gave one.
    func failure(code: String, message: String) -> String {
        let reason = message.isEmpty ? code : "\(code) \(message)"
        return pick("failure: \(reason)", "fallo: \(reason)")
    }

    func healthStatus(_ status: String) -> String {
        pick("server status: \(status)", "estado del servidor: \(status)")
    }
}
