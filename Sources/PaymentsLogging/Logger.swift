import Foundation
import Synchronization

/// A small structured logger with levels and key-value metadata.
///
/// Shaped like swift-log's `Logger` so that it can be swapped for it later:
/// constant messages, data in metadata under dotted keys (`rpc.method`,
/// `payment.id`). Lines go to one `LogSink`, by default standard error.
public struct Logger: Sendable {
    /// Severity of a log line, lowest first.
    public enum Level: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case trace, debug, info, notice, warning, error, critical

        public static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.rawValue < rhs.rawValue
        }

        public var description: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }

        /// Parses a level name such as `info` or `warning`; returns nil for an unknown name.
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.description == name.lowercased() }) else {
                return nil
            }
            self = level
        }
    }

    /// Key-value pairs attached to a line.
    public typealias Metadata = [String: String]

    /// Label of the component that logs, for example `rpc.server`.
    public var label: String
    /// Lines below this level are dropped before they are formatted.
    public var logLevel: Level
    /// Metadata attached to every line of this logger, such as `request.id`.
    public var metadata: Metadata
    private let sink: LogSink

    public init(label: String, level: Level = .info, sink: LogSink = .standardError(format: .text)) {
        self.label = label
        self.logLevel = level
        self.metadata = [:]
        self.sink = sink
    }

    /// Returns a copy of this logger with extra metadata on every line.
    public func with(_ extra: Metadata) -> Logger {
        var copy = self
        copy.metadata.merge(extra) { _, new in new }
        return copy
    }

    /// Returns a copy of this logger with another label and the same sink and metadata.
    public func withLabel(_ label: String) -> Logger {
        var copy = self
        copy.label = label
        return copy
    }

    public func log(
        level: Level, _ message: @autoclosure () -> String, metadata extra: @autoclosure () -> Metadata = [:]
    ) {
        guard level >= logLevel else {
            return
        }
        var merged = metadata
        merged.merge(extra()) { _, new in new }
        sink.write(LogRecord(date: Date(), level: level, label: label, message: message(), metadata: merged))
    }

    public func trace(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .trace, message(), metadata: metadata())
    }

    public func debug(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .debug, message(), metadata: metadata())
    }

    public func info(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .info, message(), metadata: metadata())
    }

    public func notice(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .notice, message(), metadata: metadata())
    }

    public func warning(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .warning, message(), metadata: metadata())
    }

    public func error(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .error, message(), metadata: metadata())
    }

    public func critical(_ message: @autoclosure () -> String, metadata: @autoclosure () -> Metadata = [:]) {
        log(level: .critical, message(), metadata: metadata())
    }
}

/// One formatted-to-be log line.
public struct LogRecord: Sendable {
    public var date: Date
    public var level: Logger.Level
    public var label: String
    public var message: String
    public var metadata: Logger.Metadata
}
