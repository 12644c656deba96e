extension BenchText {
    // MARK: Checks before the run

    func stepWithoutDuration(_ step: String) -> String {
        pick(
            "invalid value '\(step)' for --rate: a step of a stepped rate needs a duration, such as \(step):10s",
            "valor no válido '\(step)' para --rate: cada escalón de un ritmo por escalones necesita una duración, "
                + "como \(step):10s")
    }

    /// Warns that more calls than the server's default limit per connection can be in flight on one connection.
    ///
    /// `setting` names the option that sets the calls in flight, `--concurrency` or `--max-in-flight`, and
    /// `connections` is the smallest `--connections` that stays under the limit.
    func callsPerConnectionWarning(
        perConnection: Int, limit: Int, announced: Bool, setting: String, connections: Int
    ) -> String {
        let source = pick(
            announced
                ? "the server announced" : "a server accepts by default (--max-concurrent-calls)",
            announced
                ? "que anunció el servidor" : "que un servidor acepta por defecto (--max-concurrent-calls)")
        return pick(
            "warning: up to \(perConnection) calls can be in flight on one connection, above the \(limit) calls "
                + "per connection \(source), so calls over it wait in the client and the run measures that wait: "
                + "use --connections \(connections) or more, or lower \(setting)",
            "aviso: puede haber hasta \(perConnection) llamadas en curso en una conexión, más que las \(limit) "
                + "llamadas por conexión \(source), así que las que pasen de ese límite esperan en el cliente y la "
                + "prueba mide esa espera: use --connections \(connections) o más, o reduzca \(setting)")
    }

    /// Reports a token that the server rejected in the probe call; `source` names where the token came from.
    func tokenRejected(source: String, status: String, reason: String) -> String {
        pick(
            "the server rejected the token from \(source) (\(status): \(reason)): pass a valid token with --token, "
                + "PAYMENTS_TOKEN or --token-file",
            "el servidor rechazó el token de \(source) (\(status): \(reason)): indique un token válido con --token, "
                + "PAYMENTS_TOKEN o --token-file")
    }

    /// Reports a token that lacks the scope the scenario needs, as named by the server.
    func tokenLacksScope(source: String, scope: String, scenario: String) -> String {
        pick(
            "the token from \(source) lacks the scope '\(scope)' that the \(scenario) scenario needs: "
                + "use a token with that scope",
            "al token de \(source) le falta el permiso '\(scope)' que necesita el escenario \(scenario): "
                + "use un token con ese permiso")
    }

    var noTokenSource: String {
        pick("no token", "ningún token")
    }

    // MARK: Failed run

    /// Picks the hint that ends the message of a run where every operation failed, from its most frequent
    /// status, such as `UNAUTHENTICATED` or `FAILED_PRECONDITION/INVALID_CURRENCY`.
    func failureHint(status: String) -> String {
        let code = status.split(separator: "/").first.map(String.init) ?? status
        switch code {
        case "UNAUTHENTICATED", "PERMISSION_DENIED":
            return pick("check --token and its scopes", "revise --token y sus permisos")
        case "UNAVAILABLE":
            return pick("check --server and that the server runs", "revise --server y que el servidor esté en marcha")
        case "RESOURCE_EXHAUSTED":
            return pick(
                "the server limits calls per connection or rejects bad tokens for a while: raise --connections "
                    + "or lower the calls in flight",
                "el servidor limita las llamadas por conexión o rechaza un tiempo los tokens incorrectos: "
                    + "aumente --connections o reduzca las llamadas en curso")
        case "DEADLINE_EXCEEDED":
            return pick(
                "every call timed out: raise --timeout or lower the load",
                "todas las llamadas vencieron: aumente --timeout o reduzca la carga")
        case "INVALID_ARGUMENT", "FAILED_PRECONDITION":
            return pick(
                "the server rejected the requests: check --currency, --amount and the server log",
                "el servidor rechazó las peticiones: revise --currency, --amount y el registro del servidor")
        default:
            return pick("check the server log", "revise el registro del servidor")
        }
    }
}
