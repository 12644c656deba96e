import PaymentsCommandLine

extension BenchConfiguration {
    /// One option of `payments bench`: its flag, its environment variable and its help line in each language.
    struct OptionDefinition {
        var name: String
        var variable: String?
        var placeholder: String
        var help: String
        var spanishPlaceholder: String
        var spanishHelp: String

        func placeholder(in language: Language) -> String {
            language == .spanish ? spanishPlaceholder : placeholder
        }

        func help(in language: Language) -> String {
            language == .spanish ? spanishHelp : help
        }
    }

    static let optionDefinitions: [OptionDefinition] = [
        .init(
            name: "server", variable: "PAYMENTS_SERVER", placeholder: "HOST:PORT",
            help: "server to load (default 127.0.0.1:7070)",
            spanishPlaceholder: "HOST:PUERTO",
            spanishHelp: "servidor que cargar (por defecto 127.0.0.1:7070)"),
        .init(
            name: "token", variable: "PAYMENTS_TOKEN", placeholder: "TOKEN",
            help: "bearer token; read from --token-file when absent",
            spanishPlaceholder: "TOKEN",
            spanishHelp: "token bearer; si falta, se lee de --token-file"),
        .init(
            name: "token-file", variable: "PAYMENTS_TOKEN_FILE", placeholder: "PATH",
            help: "file holding the bearer token (default var/dev-token)",
            spanishPlaceholder: "RUTA",
            spanishHelp: "fichero con el token bearer (por defecto var/dev-token)"),
        .init(
            name: "scenario", variable: nil, placeholder: "NAME",
            help: "health, register, register-confirm, refund, list or mixed (default health)",
            spanishPlaceholder: "NOMBRE",
            spanishHelp: "health, register, register-confirm, refund, list o mixed (por defecto health)"),
        .init(
            name: "mix", variable: nil, placeholder: "WEIGHTS",
            help: "weights of a mixed run (default register-confirm=40,refund=20,list=30,health=10)",
            spanishPlaceholder: "PESOS",
            spanishHelp:
                "pesos de una ejecución mixed (por defecto register-confirm=40,refund=20,list=30,health=10)"),
        .init(
            name: "connections", variable: nil, placeholder: "N",
            help: "TCP connections to open (default 1)",
            spanishPlaceholder: "N",
            spanishHelp: "conexiones TCP que abrir (por defecto 1)"),
        .init(
            name: "threads", variable: nil, placeholder: "N",
            help: "client event-loop threads, 1 to 64 and at most --connections, with the connections spread "
                + "over them (default 1)",
            spanishPlaceholder: "N",
            spanishHelp: "hilos de bucle de eventos del cliente, de 1 a 64 y como mucho --connections, con las "
                + "conexiones repartidas entre ellos (por defecto 1)"),
        .init(
            name: "concurrency", variable: nil, placeholder: "N",
            help: "closed loop: calls in flight over all connections (default: connections x "
                + "in-flight-per-connection, or 1)",
            spanishPlaceholder: "N",
            spanishHelp: "bucle cerrado: llamadas en curso entre todas las conexiones (por defecto: conexiones x "
                + "in-flight-per-connection, o 1)"),
        .init(
            name: "in-flight-per-connection", variable: nil, placeholder: "N",
            help: "closed loop: calls in flight on each connection; sets --concurrency to connections x N",
            spanishPlaceholder: "N",
            spanishHelp: "bucle cerrado: llamadas en curso en cada conexión; fija --concurrency en conexiones x N"),
        .init(
            name: "rate", variable: nil, placeholder: "RATE",
            help: "open loop: calls per second, or steps RATE:DURATION,... such as 1000:10s,2000:10s",
            spanishPlaceholder: "RITMO",
            spanishHelp:
                "bucle abierto: llamadas por segundo, o escalones RITMO:DURACIÓN,... como 1000:10s,2000:10s"),
        .init(
            name: "max-in-flight", variable: nil, placeholder: "N",
            help: "open loop: most calls in flight; later calls wait and count from their intended time "
                + "(default 256 per connection, the server's default limit)",
            spanishPlaceholder: "N",
            spanishHelp: "bucle abierto: máximo de llamadas en curso; las siguientes esperan y cuentan desde su "
                + "hora prevista (por defecto 256 por conexión, el límite por defecto del servidor)"),
        .init(
            name: "duration", variable: nil, placeholder: "DURATION",
            help: "measured time after the warmup, such as 10s (default 10s; a stepped --rate sets it)",
            spanishPlaceholder: "DURACIÓN",
            spanishHelp:
                "tiempo medido tras el calentamiento, como 10s (por defecto 10s; un --rate por escalones lo fija)"),
        .init(
            name: "requests", variable: nil, placeholder: "N",
            help: "measured operations to complete after the warmup, instead of --duration",
            spanishPlaceholder: "N",
            spanishHelp: "operaciones medidas que completar tras el calentamiento, en lugar de --duration"),
        .init(
            name: "warmup", variable: nil, placeholder: "DURATION",
            help: "time the load runs before measuring (default 1s; 0s for none)",
            spanishPlaceholder: "DURACIÓN",
            spanishHelp: "tiempo de carga antes de medir (por defecto 1s; 0s para no calentar)"),
        .init(
            name: "timeout", variable: nil, placeholder: "DURATION",
            help: "deadline of each RPC (default 5s; 0s sends none and saves a timer per call)",
            spanishPlaceholder: "DURACIÓN",
            spanishHelp: "plazo de cada RPC (por defecto 5s; 0s no envía plazo y ahorra un temporizador por llamada)"),
        .init(
            name: "amount", variable: nil, placeholder: "MINOR_UNITS",
            help: "amount of each registered payment in minor units (default 1000)",
            spanishPlaceholder: "UNIDADES_MENORES",
            spanishHelp: "monto de cada pago registrado, en unidades menores (por defecto 1000)"),
        .init(
            name: "currency", variable: nil, placeholder: "CODE",
            help: "ISO 4217 currency of every payment (default USD)",
            spanishPlaceholder: "CÓDIGO",
            spanishHelp: "moneda ISO 4217 de todos los pagos (por defecto USD)"),
        .init(
            name: "refund-payments", variable: nil, placeholder: "N",
            help: "refund scenario: confirmed payments set up before measuring (default 1000)",
            spanishPlaceholder: "N",
            spanishHelp: "escenario refund: pagos confirmados que se preparan antes de medir (por defecto 1000)"),
        .init(
            name: "list-orders", variable: nil, placeholder: "N",
            help: "list scenario: orders with 5 payments each set up before measuring (default 100)",
            spanishPlaceholder: "N",
            spanishHelp:
                "escenario list: órdenes con 5 pagos cada una que se preparan antes de medir (por defecto 100)"),
        .init(
            name: "run-id", variable: nil, placeholder: "ID",
            help: "prefix of the run's order ids, letters and digits (default random)",
            spanishPlaceholder: "ID",
            spanishHelp: "prefijo de los ids de orden de la ejecución, letras y dígitos (por defecto aleatorio)"),
        .init(
            name: "fail-if", variable: nil, placeholder: "CONDITIONS",
            help: "exit 1 when any holds, such as 'p99>5ms,errors>0,rate<1000'; rate counts every completed "
                + "operation, failures included, and ok-rate only succeeded ones; metrics "
                + FailCondition.Metric.allCases.map(\.rawValue).joined(separator: " "),
            spanishPlaceholder: "CONDICIONES",
            spanishHelp: "termina con 1 si se cumple alguna, como 'p99>5ms,errors>0,rate<1000'; rate cuenta todas "
                + "las operaciones terminadas, fallos incluidos, y ok-rate solo las correctas; métricas "
                + FailCondition.Metric.allCases.map(\.rawValue).joined(separator: " ")),
        .init(
            name: "progress-interval", variable: nil, placeholder: "DURATION",
            help: "time between progress lines on standard error (default 1s)",
            spanishPlaceholder: "DURACIÓN",
            spanishHelp: "tiempo entre líneas de progreso en la salida de error (por defecto 1s)"),
    ]

    /// Boolean flags of `payments bench` with their help line in each language.
    static let flagDefinitions: [(name: String, help: String, spanishHelp: String)] = [
        (
            "json", "print the configuration and results as one JSON object on standard output",
            "imprime la configuración y los resultados como un objeto JSON en la salida estándar"
        ),
        ("quiet", "print no progress line", "no imprime ninguna línea de progreso"),
        ("help", "print this help", "imprime esta ayuda"),
    ]
}
