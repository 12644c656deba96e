import PaymentsCommandLine
import PaymentsLogging

extension ServerOptions {
    /// Reads options from the command line and the environment.
    ///
    /// - Throws: `CommandLineError` naming the option, the value and what it takes.
    init(arguments: CommandLineArguments, environment: [String: String]) throws(CommandLineError) {
        func value(_ name: String) -> String? {
            let variable = Self.definitions.first { $0.name == name }?.variable
            return arguments.value(name, environment: environment, variable: variable)
        }

        func integer(_ name: String, range: ClosedRange<Int>) throws(CommandLineError) -> Int? {
            guard let text = value(name) else {
                return nil
            }
            guard let number = Int(text), range.contains(number) else {
                throw .invalidValue(
                    name: name, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        func duration(_ name: String) throws(CommandLineError) -> Duration? {
            guard let text = value(name) else {
                return nil
            }
            guard let duration = ValueParsers.duration(text), duration > .zero else {
                throw .invalidValue(
                    name: name, value: text, expected: "a positive duration such as 500ms, 30s, 5m, 24h or 7d")
            }
            return duration
        }

        func byteSize(_ name: String) throws(CommandLineError) -> Int? {
            guard let text = value(name) else {
                return nil
            }
            guard let size = ValueParsers.byteSize(text), size >= 1024 else {
                throw .invalidValue(
                    name: name, value: text, expected: "a size from 1KiB to 2GiB, such as 65536, 64KiB or 4MiB")
            }
            return size
        }

        self.init()

        if let listen = value("listen") {
            guard let (host, port) = ValueParsers.hostAndPort(listen) else {
                throw .invalidValue(name: "listen", value: listen, expected: "HOST:PORT, for example 127.0.0.1:7070")
            }
            listenHost = host
            listenPort = port
        }
        if let store = value("store") {
            self.store = store
        }
        storePoolSize = try integer("store-pool-size", range: 1...512) ?? storePoolSize
        if let text = value("sqlite-spin") {
            guard let spin = text == "0" ? .zero : ValueParsers.duration(text), spin <= .milliseconds(100) else {
                throw .invalidValue(
                    name: "sqlite-spin", value: text,
                    expected: "whole milliseconds from 0 to 100ms, such as 1ms; 0 turns it off")
            }
            sqliteSpin = spin
        }
        tokensPath = value("tokens")
        developmentTokenDirectory = value("development-tokens")
        if let level = value("log-level") {
            guard let parsed = Logger.Level(name: level) else {
                throw .invalidValue(
                    name: "log-level", value: level, expected: "trace, debug, info, notice, warning or error")
            }
            logLevel = parsed
        }
        if let format = value("log-format") {
            guard let parsed = LogSink.Format(rawValue: format) else {
                throw .invalidValue(name: "log-format", value: format, expected: "text or json")
            }
            logFormat = parsed
        }
        eventLoopThreads = try integer("event-loop-threads", range: 1...64)
        maxMessageSize = try byteSize("max-message-size") ?? maxMessageSize
        maxFrameSize = try byteSize("max-frame-size") ?? maxFrameSize
        maxConcurrentCalls = try integer("max-concurrent-calls", range: 1...65_536) ?? maxConcurrentCalls
        maxConnections = try integer("max-connections", range: 1...1_000_000) ?? maxConnections
        handshakeTimeout = try duration("handshake-timeout") ?? handshakeTimeout
        idleTimeout = try duration("idle-timeout") ?? idleTimeout
        writeStallTimeout = try duration("write-stall-timeout") ?? writeStallTimeout
        streamCredit = try integer("stream-credit", range: 1...65_536) ?? streamCredit
        watchStallTimeout = try duration("watch-stall-timeout") ?? watchStallTimeout
        eventRetention = try duration("event-retention") ?? eventRetention
        drainTimeout = try duration("drain-timeout") ?? drainTimeout

        guard maxMessageSize <= maxFrameSize else {
            throw .invalidValue(
                name: "max-message-size", value: String(maxMessageSize),
                expected: "a size no larger than --max-frame-size (\(maxFrameSize) bytes)")
        }
    }

    /// Names of the options that take a value, for `CommandLineArguments`.
    static var optionNames: Set<String> {
        Set(definitions.map(\.name))
    }
}
