import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Destination of log lines: a file descriptor, or memory for tests.
public final class LogSink: Sendable {
    /// Line format.
    public enum Format: String, Sendable {
        /// `2026-12-04T20:01:24.123Z info rpc.server listening address=127.0.0.1:50051`
        case text
        /// One JSON object per line with `time`, `level`, `label`, `message` and the metadata keys.
        case json
    }

    private enum Target {
        case fileDescriptor(Int32)
        case memory
    }

    private let target: Target
    private let format: Format
    // Serializes writes so that lines from many threads never interleave.
    private let state = Mutex<[String]>([])

    private init(target: Target, format: Format) {
        self.target = target
        self.format = format
    }

    /// A sink that writes to standard error.
    public static func standardError(format: Format) -> LogSink {
        LogSink(target: .fileDescriptor(2), format: format)
    }

    /// A sink that keeps lines in memory; read them with `capturedLines`.
    public static func memory(format: Format = .text) -> LogSink {
        LogSink(target: .memory, format: format)
    }

    /// Lines written to a memory sink, oldest first.
    public var capturedLines: [String] {
        state.withLock { $0 }
    }

    func write(_ record: LogRecord) {
        let line = format == .json ? Self.json(record) : Self.text(record)
        state.withLock { lines in
            switch target {
            case .memory:
                lines.append(line)
            case .fileDescriptor(let descriptor):
                var bytes = Array((line + "\n").utf8)
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeMutableBytes { buffer in
                        Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    }
                    if written < 0 && errno == EINTR {
                        continue
                    }
                    if written <= 0 {
                        break
                    }
                    offset += written
                }
                bytes.removeAll()
            }
        }
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func text(_ record: LogRecord) -> String {
        var line = "\(timestamp(record.date)) \(record.level) \(record.label) \(record.message)"
        for key in record.metadata.keys.sorted() {
            line += " \(key)=\(quotedIfNeeded(record.metadata[key]!))"
        }
        return line
    }

    static func json(_ record: LogRecord) -> String {
        var object: [String: String] = record.metadata
        object["time"] = timestamp(record.date)
        object["level"] = record.level.description
        object["label"] = record.label
        object["message"] = record.message
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{\"message\":\"unencodable log line\"}"
    }

    private static func quotedIfNeeded(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else {
            return value
        }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}
