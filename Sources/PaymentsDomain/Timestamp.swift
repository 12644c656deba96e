import Foundation

/// Wall-clock time as the service stores it: microseconds since the Unix epoch (UTC).
public enum Timestamp {
    /// The current time in microseconds since the Unix epoch.
    public static func nowMicros() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }
}
