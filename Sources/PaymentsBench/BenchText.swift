import PaymentsCommandLine
import RPCMessages

/// The sentences `payments bench` prints about its command line and its run, in English and Spanish.
///
/// Option names, scenario names, metric names, RPC status names and domain codes stay as they are in
/// both languages, because users type them or scripts match them. The `--json` output never goes through
/// this type.
struct BenchText: Sendable {
    let language: Language

    func pick(_ english: String, _ spanish: String) -> String {
        language == .spanish ? spanish : english
    }

    // MARK: Command line

    /// Renders an error of the shared argument splitter; the English text is its own description.
    func commandLine(_ error: CommandLineError) -> String {
        guard language == .spanish else {
            return error.description
        }
        switch error {
        case .unknownOption(let name):
            return "opción desconocida --\(name): ejecute 'payments bench --help' para ver las opciones"
        case .missingValue(let name):
            return "la opción --\(name) necesita un valor: escriba --\(name) VALOR"
        case .invalidValue(let name, let value, let expected):
            return invalidValue(name, value, expected)
        case .missingOption(let name):
            return "falta la opción --\(name): es obligatoria aquí"
        }
    }

    func invalidValue(_ name: String, _ value: String, _ expected: String) -> String {
        pick(
            "invalid value '\(value)' for --\(name): expected \(expected)",
            "valor no válido '\(value)' para --\(name): se espera \(expected)")
    }

    func unexpectedArgument(_ value: String) -> String {
        pick(
            "unexpected argument '\(value)': bench takes only options; run with --help to list them",
            "argumento inesperado '\(value)': bench solo acepta opciones; ejecute con --help para verlas")
    }

    var expectedHostAndPort: String {
        pick("HOST:PORT such as 127.0.0.1:7070", "HOST:PUERTO, como 127.0.0.1:7070")
    }

    func expectedWholeNumber(_ range: ClosedRange<Int>) -> String {
        pick(
            "a whole number from \(range.lowerBound) to \(range.upperBound)",
            "un número entero de \(range.lowerBound) a \(range.upperBound)")
    }

    func expectedDuration(allowZero: Bool) -> String {
        allowZero
            ? pick(
                "a duration 0 or more with a unit: ns, us, ms, s, m or h, such as 10s",
                "una duración de 0 o más con unidad: ns, us, ms, s, m o h, como 10s")
            : pick(
                "a duration above 0 with a unit: ns, us, ms, s, m or h, such as 10s",
                "una duración mayor que 0 con unidad: ns, us, ms, s, m o h, como 10s")
    }

    /// Introduces the list of scenario names, which stay in English.
    func expectedScenario(names: String) -> String {
        pick(names, "uno de: \(names)")
    }

    var expectedCurrency: String {
        pick("an ISO 4217 code such as USD", "un código ISO 4217 como USD")
    }

    var expectedRunID: String {
        pick("1 to 24 ASCII letters and digits", "un id de 1 a 24 letras y dígitos ASCII")
    }

    func expectedMix(scenarios: String) -> String {
        pick(
            "SCENARIO=WEIGHT pairs such as register-confirm=40,list=60; scenarios: \(scenarios)",
            "una lista de pares ESCENARIO=PESO como register-confirm=40,list=60; escenarios: \(scenarios)")
    }

    var expectedMixWeight: String {
        pick(
            "a whole weight from 1 to 1000000 after the scenario, such as health=10",
            "un peso entero de 1 a 1000000 tras el escenario, como health=10")
    }

    func mixScenarioOnce(_ scenario: String) -> String {
        pick(
            "each scenario once, and \(scenario) appears more than once",
            "cada escenario una sola vez, y \(scenario) aparece más de una vez")
    }

    var expectedRate: String {
        pick(
            "calls per second above 0, such as 1000, or steps RATE:DURATION such as 1000:10s,2000:10s",
            "un ritmo en llamadas por segundo mayor que 0, como 1000, o escalones RITMO:DURACIÓN "
                + "como 1000:10s,2000:10s")
    }

    func expectedFailCondition(metrics: String) -> String {
        pick(
            "METRIC OP VALUE such as p99>5ms, rate<1000, errors>0 or error-rate>1%; metrics: \(metrics)",
            "una condición MÉTRICA OP VALOR como p99>5ms, rate<1000, errors>0 o error-rate>1%; métricas: \(metrics)")
    }

    var mixNeedsMixedScenario: String {
        pick(
            "--mix needs --scenario mixed: add it or drop --mix",
            "--mix necesita --scenario mixed: añádalo o quite --mix")
    }

    func concurrencyMismatch(total: Int, connections: Int, perConnection: Int) -> String {
        pick(
            "--concurrency \(total) differs from --connections \(connections) x "
                + "--in-flight-per-connection \(perConnection): give one of the two",
            "--concurrency \(total) no coincide con --connections \(connections) x "
                + "--in-flight-per-connection \(perConnection): indique solo una de las dos")
    }

    func clientLoopsFailed(_ reason: String) -> String {
        pick(
            "cannot start the client event-loop threads (\(reason)); lower --threads or check the process limits",
            "no se pudieron arrancar los hilos de bucle de eventos del cliente (\(reason)); baje --threads o "
                + "revise los límites del proceso")
    }

    func threadsAboveConnections(_ threads: Int, connections: Int) -> String {
        pick(
            "--threads \(threads) exceeds --connections \(connections), and each thread needs a connection: "
                + "lower --threads or raise --connections",
            "--threads \(threads) supera --connections \(connections), y cada hilo necesita una conexión: "
                + "baje --threads o suba --connections")
    }

    var rateWithConcurrency: String {
        pick(
            "--rate runs an open loop, which --concurrency does not limit: use --max-in-flight instead",
            "--rate ejecuta un bucle abierto, que --concurrency no limita: use --max-in-flight en su lugar")
    }

    func durationWithRequests(_ duration: String) -> String {
        pick(
            "--duration \(duration) and --requests both bound the run: give one of the two",
            "--duration \(duration) y --requests limitan las dos la ejecución: indique solo una de ellas")
    }

    func durationWithSteppedRate(_ duration: String) -> String {
        pick(
            "--duration \(duration) conflicts with the stepped --rate, whose steps set the length",
            "--duration \(duration) choca con el --rate por escalones, cuyos escalones fijan la duración")
    }

    func tokenFileUnreadable(_ path: String) -> String {
        pick(
            "cannot read the token file \(path): pass --token or PAYMENTS_TOKEN, or --token-file PATH",
            "no se puede leer el fichero de token \(path): use --token o PAYMENTS_TOKEN, o --token-file RUTA")
    }

    func tokenFileEmpty(_ path: String) -> String {
        pick(
            "the token file \(path) is empty: write the token in it or pass --token",
            "el fichero de token \(path) está vacío: escriba el token en él o use --token")
    }

    // MARK: Run

    func paymentsToRefund(_ count: Int) -> String {
        pick("\(count) payments to refund", "\(count) pagos para reembolsar")
    }

    func ordersToList(_ count: Int, paymentsEach: Int) -> String {
        pick(
            "\(count) orders to list with \(paymentsEach) payments each",
            "\(count) órdenes para listar con \(paymentsEach) pagos cada una")
    }

    /// Names the data that could not be set up, `items` coming from `paymentsToRefund` or `ordersToList`, with
    /// advice that follows the status of the call that failed (nil when the failure was not an RPC error).
    func setupFailed(_ items: String, status: StatusCode? = nil) -> String {
        let advice: String
        switch status {
        case .deadlineExceeded:
            advice = pick(
                "raise --timeout, which setup calls use too, or start with a lighter server load",
                "aumente --timeout, que también usan las llamadas de preparación, o empiece con menos carga en el servidor"
            )
        case .unauthenticated, .permissionDenied:
            advice = pick("check the token and its scopes", "revise el token y sus permisos")
        case .unavailable:
            advice = pick("check --server and that the server runs", "revise --server y que el servidor esté en marcha")
        default:
            advice = pick("check the server log", "revise el registro del servidor")
        }
        return pick("setting up \(items) failed: \(advice)", "falló la preparación de \(items): \(advice)")
    }

    /// Notice at the first Ctrl-C.
    var interrupted: String {
        pick(
            "stopping: no new operations; the report follows once the operations in flight end (Ctrl-C again quits)",
            "deteniendo: no empiezan más operaciones; el informe sigue cuando terminen las que están en curso "
                + "(otro Ctrl-C sale)")
    }

    /// Message when Ctrl-C ends the run before the load started.
    var interruptedBeforeLoad: String {
        pick(
            "interrupted before the load started: nothing was measured",
            "interrumpido antes de empezar la carga: no se midió nada")
    }

    /// Line after the report of an interrupted run.
    var interruptedReport: String {
        pick(
            "interrupted: the report covers the operations that ran before Ctrl-C",
            "interrumpido: el informe cubre las operaciones que se hicieron antes de Ctrl-C")
    }

    var nothingCompleted: String {
        pick(
            "no operation completed in the measured phase: check --server and that the server runs",
            "ninguna operación terminó en la fase medida: revise --server y que el servidor esté en marcha")
    }

    func serverUnavailable(_ server: String) -> String {
        pick(
            "the server at \(server) is unavailable: check --server and that it runs",
            "el servidor de \(server) no está disponible: revise --server y que esté en marcha")
    }

    func storeUnavailable(_ server: String) -> String {
        pick(
            "the server at \(server) runs, but its store is unavailable: check the server's log and its database",
            "el servidor de \(server) está en marcha, pero su almacén no está disponible: revise el log del "
                + "servidor y su base de datos")
    }

    /// Reports a run where every operation failed; `hint` comes from `failureHint(status:)`.
    func everyOperationFailed(statuses: String, hint: String) -> String {
        pick(
            "every operation failed (\(statuses)): \(hint)",
            "todas las operaciones fallaron (\(statuses)): \(hint)")
    }
}
