import PaymentsCommandLine
import PaymentsLogging

/// Settings of one server process, read from flags and `PAYMENTS_*` variables.
struct ServerOptions: Sendable {
    var listenHost = "127.0.0.1"
    var listenPort = 7070
    var store = "sqlite:var/payments.sqlite"
    var storePoolSize = 16
    var sqliteSpin = Duration.milliseconds(1)
    var tokensPath: String?
    var developmentTokenDirectory: String?
    var logLevel = Logger.Level.info
    var logFormat = LogSink.Format.text
    var eventLoopThreads: Int?
    var maxMessageSize = 4 << 20
    var maxFrameSize = 16 << 20
    var maxConcurrentCalls = 256
    var maxConnections = 20_000
    var handshakeTimeout = Duration.seconds(10)
    var idleTimeout = Duration.seconds(300)
    var writeStallTimeout = Duration.seconds(30)
    var streamCredit = 64
    var watchStallTimeout = Duration.seconds(30)
    var eventRetention = Duration.seconds(7 * 86_400)
    var drainTimeout = Duration.seconds(30)

    /// One option: its flag, its environment variable and its help line.
    struct Definition {
        var name: String
        var variable: String
        var placeholder: String
        var help: String
    }

    static let definitions: [Definition] = [
        .init(
            name: "listen", variable: "PAYMENTS_LISTEN", placeholder: "HOST:PORT",
            help: "address to listen on (default 127.0.0.1:7070; port 0 picks a free port)"),
        .init(
            name: "store", variable: "PAYMENTS_STORE", placeholder: "URL",
            help: "sqlite:PATH or a postgresql:// URI or libpq key=value string (default sqlite:var/payments.sqlite)"),
        .init(
            name: "store-pool-size", variable: "PAYMENTS_STORE_POOL_SIZE", placeholder: "N",
            help: "PostgreSQL connections in the pool (default 16)"),
        .init(
            name: "sqlite-spin", variable: "PAYMENTS_SQLITE_SPIN", placeholder: "DURATION",
            help:
                "SQLite: how long to poll for work before sleeping, whole ms up to 100ms (default 1ms; 0 turns it off)"),
        .init(
            name: "tokens", variable: "PAYMENTS_TOKENS", placeholder: "PATH",
            help:
                "token file with SHA-256 hashes of bearer tokens, reloaded on SIGHUP (required unless --development-tokens)"
        ),
        .init(
            name: "development-tokens", variable: "PAYMENTS_DEVELOPMENT_TOKENS", placeholder: "DIR",
            help: "keep a development token with every scope in DIR/dev-token (mode 0600) and use DIR/tokens.json"),
        .init(
            name: "log-level", variable: "PAYMENTS_LOG_LEVEL", placeholder: "LEVEL",
            help: "trace, debug, info, notice, warning or error (default info)"),
        .init(
            name: "log-format", variable: "PAYMENTS_LOG_FORMAT", placeholder: "FORMAT",
            help: "text or json, one line per record on standard error (default text)"),
        .init(
            name: "event-loop-threads", variable: "PAYMENTS_EVENT_LOOP_THREADS", placeholder: "N",
            help: "epoll threads that serve connections (default: half the processors, 1 to 4)"),
        .init(
            name: "max-message-size", variable: "PAYMENTS_MAX_MESSAGE_SIZE", placeholder: "BYTES",
            help: "largest request message; larger ones fail with RESOURCE_EXHAUSTED (default 4MiB)"),
        .init(
            name: "max-frame-size", variable: "PAYMENTS_MAX_FRAME_SIZE", placeholder: "BYTES",
            help: "hard cap on one frame; a larger frame closes the connection (default 16MiB)"),
        .init(
            name: "max-concurrent-calls", variable: "PAYMENTS_MAX_CONCURRENT_CALLS", placeholder: "N",
            help: "calls one connection may have open at once (default 256)"),
        .init(
            name: "max-connections", variable: "PAYMENTS_MAX_CONNECTIONS", placeholder: "N",
            help: "open connections; more are closed at once (default 20000)"),
        .init(
            name: "handshake-timeout", variable: "PAYMENTS_HANDSHAKE_TIMEOUT", placeholder: "DURATION",
            help: "time a new connection has to send the preface and settings (default 10s)"),
        .init(
            name: "idle-timeout", variable: "PAYMENTS_IDLE_TIMEOUT", placeholder: "DURATION",
            help: "a connection with no call for this long is closed (default 300s)"),
        .init(
            name: "write-stall-timeout", variable: "PAYMENTS_WRITE_STALL_TIMEOUT", placeholder: "DURATION",
            help: "a peer that reads nothing for this long while output waits is closed (default 30s)"),
        .init(
            name: "stream-credit", variable: "PAYMENTS_STREAM_CREDIT", placeholder: "N",
            help: "messages a stream may send before the client grants more credit (default 64)"),
        .init(
            name: "watch-stall-timeout", variable: "PAYMENTS_WATCH_STALL_TIMEOUT", placeholder: "DURATION",
            help: "an event watcher that grants no credit for this long is ended with a resume position (default 30s)"),
        .init(
            name: "event-retention", variable: "PAYMENTS_EVENT_RETENTION", placeholder: "DURATION",
            help: "how long events are kept for watchers (default 7d)"),
        .init(
            name: "drain-timeout", variable: "PAYMENTS_DRAIN_TIMEOUT", placeholder: "DURATION",
            help: "longest wait for in-flight calls after SIGTERM or SIGINT (default 30s)"),
    ]

    static var helpText: String {
        var text = """
            Usage: payments-server [OPTIONS]

            Serves the payments RPC protocol over TCP. Every option can also be set through
            the environment variable shown next to it; the command line wins.

            Options:

            """
        for definition in definitions {
            let flag = "  --\(definition.name) \(definition.placeholder)"
            text += flag.padding(toLength: Swift.max(flag.count + 2, 36), withPad: " ", startingAt: 0)
            text += "\(definition.help) [\(definition.variable)]\n"
        }
        text += "  --help                            print this help and exit\n"
        text += "  --version                         print the version and exit\n"
        text += "\nSignals: SIGTERM or SIGINT drain gracefully (a second one stops at once); SIGHUP reloads --tokens.\n"
        return text
    }
}
