import PaymentsCommandLine
import Testing

@testable import PaymentsBench

@Suite("Bench help and usage errors")
struct BenchHelpTests {
    static let englishHelp: [String] = [
        "usage: payments bench [--scenario NAME] [--concurrency N | --rate RATE] [options]",
        "",
        "Loads the server with one scenario and prints latency percentiles (p50, p90, p99, p99.9, max, mean),",
        "the achieved rate and counts by status and domain code. Closed loop keeps --concurrency"
            + " operations in",
        "flight; open loop (--rate) starts them on schedule and measures latency from the intended"
            + " start, so a",
        "stalled server shows in the tail. Retries are off: every failure is counted.",
        "",
        "options:",
        "  --server HOST:PORT              server to load (default 127.0.0.1:7070) [PAYMENTS_SERVER]",
        "  --token TOKEN                   bearer token; read from --token-file when absent [PAYMENTS_TOKEN]",
        "  --token-file PATH               file holding the bearer token (default var/dev-token)"
            + " [PAYMENTS_TOKEN_FILE]",
        "  --scenario NAME                 health, register, register-confirm, refund, list or"
            + " mixed (default health)",
        "  --mix WEIGHTS                   weights of a mixed run (default"
            + " register-confirm=40,refund=20,list=30,health=10)",
        "  --connections N                 TCP connections to open (default 1)",
        "  --threads N                     client event-loop threads, 1 to 64 and at most --connections, with the connections spread over them (default 1)",
        "  --concurrency N                 closed loop: calls in flight over all connections"
            + " (default: connections x in-flight-per-connection, or 1)",
        "  --in-flight-per-connection N    closed loop: calls in flight on each connection; sets"
            + " --concurrency to connections x N",
        "  --rate RATE                     open loop: calls per second, or steps RATE:DURATION,..."
            + " such as 1000:10s,2000:10s",
        "  --max-in-flight N               open loop: most calls in flight; later calls wait and"
            + " count from their intended time (default 256 per connection, the server's default limit)",
        "  --duration DURATION             measured time after the warmup, such as 10s (default"
            + " 10s; a stepped --rate sets it)",
        "  --requests N                    measured operations to complete after the warmup,"
            + " instead of --duration",
        "  --warmup DURATION               time the load runs before measuring (default 1s; 0s for none)",
        "  --timeout DURATION              deadline of each RPC (default 5s; 0s sends none and"
            + " saves a timer per call)",
        "  --amount MINOR_UNITS            amount of each registered payment in minor units (default 1000)",
        "  --currency CODE                 ISO 4217 currency of every payment (default USD)",
        "  --refund-payments N             refund scenario: confirmed payments set up before"
            + " measuring (default 1000)",
        "  --list-orders N                 list scenario: orders with 5 payments each set up"
            + " before measuring (default 100)",
        "  --run-id ID                     prefix of the run's order ids, letters and digits (default random)",
        "  --fail-if CONDITIONS            exit 1 when any holds, such as 'p99>5ms,errors>0,rate<1000'; rate"
            + " counts every completed operation, failures included, and ok-rate only succeeded ones; metrics p50"
            + " p90 p99 p99.9 max mean rate ok-rate errors timeouts calls error-rate",
        "  --progress-interval DURATION    time between progress lines on standard error (default 1s)",
        "  --json                          print the configuration and results as one JSON object"
            + " on standard output",
        "  --quiet                         print no progress line",
        "  --help                          print this help",
        "",
        "examples:",
        "  payments bench --scenario health --connections 4 --concurrency 64 --duration 10s",
        "  payments bench --scenario register-confirm --rate 500:10s,1000:10s,2000:10s --json",
        "  payments bench --scenario refund --concurrency 8 --requests 20000 --fail-if 'p99>20ms,errors>0'",
        "",
        "exit status: 0 done, 1 a --fail-if condition holds, 2 bad command line or token,",
        "3 setup failed or no operation succeeded, 130 stopped with Ctrl-C (the report covers what ran;",
        "a second Ctrl-C quits without one).",
    ]

    @Test("English help unchanged")
    func englishHelp() {
        let help = BenchCommand.helpText(in: Language(environment: ReportSamples.english))
        #expect(help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) == Self.englishHelp)
    }

    @Test("Spanish help")
    func spanishHelp() {
        let help = BenchCommand.helpText(in: Language(environment: ReportSamples.spanish))

        for phrase in [
            "uso: payments bench [--scenario NOMBRE] [--concurrency N | --rate RITMO] [opciones]",
            "opciones:", "ejemplos:", "código de salida: 0 terminado", "bucle cerrado", "bucle abierto",
            "  --server HOST:PUERTO            servidor que cargar (por defecto 127.0.0.1:7070) [PAYMENTS_SERVER]",
            "  --quiet                         no imprime ninguna línea de progreso",
            "y ok-rate solo las correctas; métricas p50 p90 p99 p99.9 max mean rate ok-rate errors timeouts calls error-rate",
        ] {
            #expect(help.contains(phrase), "\(phrase)")
        }
        for english in ["usage", "options:", "examples", "default", "exit status"] {
            #expect(!help.contains(english), "\(english)")
        }
    }

    @Test("help lists every option in both languages", arguments: [ReportSamples.english, ReportSamples.spanish])
    func listsEveryOption(environment: [String: String]) {
        let help = BenchCommand.helpText(in: Language(environment: environment))
        let names =
            BenchConfiguration.optionDefinitions.map(\.name) + BenchConfiguration.flagDefinitions.map(\.name)

        for name in names {
            #expect(help.contains("  --\(name) "), "--\(name)")
        }
    }

    /// Arguments that fail to parse, with the message in English and in Spanish.
    static let usageErrorCases: [([String], String, String)] = [
        (
            ["--connections", "0"],
            "invalid value '0' for --connections: expected a whole number from 1 to 100000",
            "valor no válido '0' para --connections: se espera un número entero de 1 a 100000"
        ),
        (
            ["--bogus"],
            "unknown option --bogus: run with --help to list the options",
            "opción desconocida --bogus: ejecute 'payments bench --help' para ver las opciones"
        ),
        (
            ["--duration"],
            "option --duration needs a value: write --duration VALUE",
            "la opción --duration necesita un valor: escriba --duration VALOR"
        ),
        (
            ["extra"],
            "unexpected argument 'extra': bench takes only options; run with --help to list them",
            "argumento inesperado 'extra': bench solo acepta opciones; ejecute con --help para verlas"
        ),
        (
            ["--server", "nohost"],
            "invalid value 'nohost' for --server: expected HOST:PORT such as 127.0.0.1:7070",
            "valor no válido 'nohost' para --server: se espera HOST:PUERTO, como 127.0.0.1:7070"
        ),
        (
            ["--warmup", "1"],
            "invalid value '1' for --warmup: expected a duration 0 or more with a unit: ns, us, ms, s, m or h, "
                + "such as 10s",
            "valor no válido '1' para --warmup: se espera una duración de 0 o más con unidad: ns, us, ms, s, m o h, "
                + "como 10s"
        ),
        (
            ["--duration", "10s", "--requests", "5"],
            "--duration 10s and --requests both bound the run: give one of the two",
            "--duration 10s y --requests limitan las dos la ejecución: indique solo una de ellas"
        ),
        (
            ["--connections", "2", "--in-flight-per-connection", "2", "--concurrency", "8"],
            "--concurrency 8 differs from --connections 2 x --in-flight-per-connection 2: give one of the two",
            "--concurrency 8 no coincide con --connections 2 x --in-flight-per-connection 2: indique solo una de "
                + "las dos"
        ),
        (
            ["--rate", "10", "--concurrency", "4"],
            "--rate runs an open loop, which --concurrency does not limit: use --max-in-flight instead",
            "--rate ejecuta un bucle abierto, que --concurrency no limita: use --max-in-flight en su lugar"
        ),
        (
            ["--rate", "fast"],
            "invalid value 'fast' for --rate: expected calls per second above 0, such as 1000, or steps "
                + "RATE:DURATION such as 1000:10s,2000:10s",
            "valor no válido 'fast' para --rate: se espera un ritmo en llamadas por segundo mayor que 0, como "
                + "1000, o escalones RITMO:DURACIÓN como 1000:10s,2000:10s"
        ),
        (
            ["--scenario", "teleport"],
            "invalid value 'teleport' for --scenario: expected health, register, register-confirm, refund, list, mixed",
            "valor no válido 'teleport' para --scenario: se espera uno de: health, register, register-confirm, "
                + "refund, list, mixed"
        ),
        (
            ["--run-id", "a-b"],
            "invalid value 'a-b' for --run-id: expected 1 to 24 ASCII letters and digits",
            "valor no válido 'a-b' para --run-id: se espera un id de 1 a 24 letras y dígitos ASCII"
        ),
        (
            ["--mix", "list=1"],
            "--mix needs --scenario mixed: add it or drop --mix",
            "--mix necesita --scenario mixed: añádalo o quite --mix"
        ),
        (
            ["--scenario", "mixed", "--mix", "teleport=1"],
            "invalid value 'teleport=1' for --mix: expected SCENARIO=WEIGHT pairs such as "
                + "register-confirm=40,list=60; scenarios: health, register, register-confirm, refund, list",
            "valor no válido 'teleport=1' para --mix: se espera una lista de pares ESCENARIO=PESO como "
                + "register-confirm=40,list=60; escenarios: health, register, register-confirm, refund, list"
        ),
        (
            ["--rate", "1000:10s,2000"],
            "invalid value '2000' for --rate: a step of a stepped rate needs a duration, such as 2000:10s",
            "valor no válido '2000' para --rate: cada escalón de un ritmo por escalones necesita una duración, "
                + "como 2000:10s"
        ),
        (
            ["--currency", "ABC"],
            "invalid value 'ABC' for --currency: expected an ISO 4217 code such as USD",
            "valor no válido 'ABC' para --currency: se espera un código ISO 4217 como USD"
        ),
        (
            ["--fail-if", "p99<fast"],
            "invalid value 'p99<fast' for --fail-if: expected METRIC OP VALUE such as p99>5ms, rate<1000, "
                + "errors>0 or error-rate>1%; metrics: p50, p90, p99, p99.9, max, mean, rate, ok-rate, errors, "
                + "timeouts, calls, error-rate",
            "valor no válido 'p99<fast' para --fail-if: se espera una condición MÉTRICA OP VALOR como "
                + "p99>5ms, rate<1000, errors>0 o error-rate>1%; métricas: p50, p90, p99, p99.9, max, mean, rate, "
                + "ok-rate, errors, timeouts, calls, error-rate"
        ),
    ]

    @Test("usage errors in each language", arguments: usageErrorCases)
    func usageErrors(arguments: [String], english: String, spanish: String) {
        for (environment, expected) in [(ReportSamples.english, english), (ReportSamples.spanish, spanish)] {
            do {
                _ = try BenchConfiguration.parse(arguments: ["--token", "t"] + arguments, environment: environment)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(error.code == .invalidOption)
                #expect(error.message == expected)
            }
        }
    }

    @Test("missing token file in Spanish")
    func spanishTokenError() {
        let environment = ["LC_MESSAGES": "es_MX.UTF-8", "LANG": "en_US.UTF-8"]
        do {
            _ = try BenchConfiguration.parse(
                arguments: ["--scenario", "register", "--token-file", "/nonexistent/token"], environment: environment)
            Issue.record("parsed without a token")
        } catch {
            #expect(error.code == .tokenUnavailable)
            #expect(
                error.message
                    == "no se puede leer el fichero de token /nonexistent/token: use --token o PAYMENTS_TOKEN, "
                    + "o --token-file RUTA")
        }
    }

    @Test("LC_ALL overrides a Spanish LANG")
    func localeOverride() throws {
        let configuration = try BenchConfiguration.parse(
            arguments: ["--token", "t"], environment: ["LC_ALL": "C", "LANG": "es_ES.UTF-8"])
        #expect(configuration.language == .english)
    }
}
