/// Parses a duration with a unit: `250us`, `5ms`, `1.5s`, `2m`, `1h` (`µs` is accepted for `us`).
///
/// Unlike the server's parser this one takes fractions and sub-millisecond units, since latency
/// thresholds and per-call deadlines are often below a millisecond. A bare number is rejected so the
/// unit is never guessed. Returns nil for negative, non-finite or malformed values.
func parseDuration(_ text: String) -> Duration? {
    let units: [(suffix: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3_600),
    ]
    for unit in units where text.hasSuffix(unit.suffix) {
        let number = text.dropLast(unit.suffix.count)
        guard !number.isEmpty, let value = Double(number), value.isFinite, value >= 0 else {
            continue
        }
        let seconds = value * unit.seconds
        guard seconds < 1e9 else {
            return nil
        }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
    return nil
}
