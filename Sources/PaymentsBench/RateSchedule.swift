import PaymentsCommandLine

/// The intended send times of an open-loop run: a constant rate, or steps of rates each held for a duration.
///
/// Call `n` (from 0) is intended at a fixed offset from the start, whatever happened to earlier calls, so
/// a server that stalls makes the calls behind it late and their latency, measured from the intended time,
/// shows the stall (no coordinated omission). Within a step the calls are evenly spaced at 1/rate.
public struct RateSchedule: Sendable, Equatable, Codable {
    /// A rate held for a duration.
    public struct Step: Sendable, Equatable, Codable {
        /// Calls per second.
        public var callsPerSecond: Double
        /// How long the rate is held; nil on a constant schedule, which lasts as long as the run.
        public var duration: Duration?

        public init(callsPerSecond: Double, duration: Duration?) {
            self.callsPerSecond = callsPerSecond
            self.duration = duration
        }
    }

    public var steps: [Step]

    /// A constant rate in calls per second, for as long as the run lasts.
    public init(constant callsPerSecond: Double) {
        steps = [Step(callsPerSecond: callsPerSecond, duration: nil)]
    }

    /// Rates held one after the other; every step has a duration.
    public init(steps: [Step]) {
        self.steps = steps
    }

    /// Parses `--rate`: `1000` for a constant rate, or `1000:10s,2000:10s` for steps of rate and duration.
    ///
    /// - Throws: `BenchError.invalidOption` naming `--rate` and the part that does not parse, in `language`.
    public static func parse(_ text: String, language: Language = .english) throws(BenchError) -> RateSchedule {
        let expected = BenchText(language: language).expectedRate
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        if parts.count == 1, !parts[0].contains(":") {
            guard let rate = Double(parts[0]), rate.isFinite, rate > 0 else {
                throw .invalidOption(name: "rate", value: text, expected: expected, language: language)
            }
            return RateSchedule(constant: rate)
        }
        var steps: [Step] = []
        for part in parts {
            if !part.contains(":"), let rate = Double(part), rate.isFinite, rate > 0 {
                throw BenchError(
                    code: .invalidOption, message: BenchText(language: language).stepWithoutDuration(part))
            }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 2, let rate = Double(fields[0]), rate.isFinite, rate > 0,
                let duration = parseDuration(String(fields[1])), duration > .zero
            else {
                throw .invalidOption(name: "rate", value: part, expected: expected, language: language)
            }
            steps.append(Step(callsPerSecond: rate, duration: duration))
        }
        guard !steps.isEmpty else {
            throw .invalidOption(name: "rate", value: text, expected: expected, language: language)
        }
        return RateSchedule(steps: steps)
    }

    /// Total length of a stepped schedule; nil for a constant one.
    public var totalDuration: Duration? {
        var total = Duration.zero
        for step in steps {
            guard let duration = step.duration else {
                return nil
            }
            total += duration
        }
        return total
    }

    /// Offset from the start at which call `index` (from 0) is intended; nil when the steps end before it.
    public func intendedOffset(ofCall index: Int) -> Duration? {
        var firstIndex = 0
        var start = Duration.zero
        for step in steps {
            let interval = 1 / step.callsPerSecond
            guard let duration = step.duration else {
                return start + .seconds(Double(index - firstIndex) * interval)
            }
            let callsInStep = Self.callCount(rate: step.callsPerSecond, duration: duration)
            if index < firstIndex + callsInStep {
                return start + .seconds(Double(index - firstIndex) * interval)
            }
            firstIndex += callsInStep
            start += duration
        }
        return nil
    }

    /// Intended calls per second over the whole schedule: the rate of a constant one, or the calls of every
    /// step over their total duration.
    public var averageRate: Double {
        guard let total = totalDuration, total > .zero else {
            return steps[0].callsPerSecond
        }
        let calls = steps.reduce(0) { $0 + Self.callCount(rate: $1.callsPerSecond, duration: $1.duration ?? .zero) }
        return Double(calls) / total.secondsDouble
    }

    /// Returns the offset from the start at which step `index` begins. The steps before it all have durations.
    public func startOffset(ofStep index: Int) -> Duration {
        steps.prefix(index).reduce(Duration.zero) { $0 + ($1.duration ?? .zero) }
    }

    /// Index of the step in force at `offset` from the start; the last step past the end.
    public func stepIndex(at offset: Duration) -> Int {
        var start = Duration.zero
        for (index, step) in steps.enumerated() {
            guard let duration = step.duration else {
                return index
            }
            if offset < start + duration {
                return index
            }
            start += duration
        }
        return max(0, steps.count - 1)
    }

    /// The rate in force at `offset` from the start; the last step's rate past the end.
    public func rate(at offset: Duration) -> Double {
        var start = Duration.zero
        for step in steps {
            guard let duration = step.duration else {
                return step.callsPerSecond
            }
            if offset < start + duration {
                return step.callsPerSecond
            }
            start += duration
        }
        return steps.last?.callsPerSecond ?? 0
    }

    /// Calls intended in the window `from..<to` of offsets, for the target rate reported with the results.
    public func intendedCallCount(from: Duration, to: Duration) -> Int {
        var count = 0
        var index = 0
        while let offset = intendedOffset(ofCall: index), offset < to {
            if offset >= from {
                count += 1
            }
            index += 1
        }
        return count
    }

    /// Calls a step of `rate` calls per second holds in `duration`: those whose offset falls before its end.
    static func callCount(rate: Double, duration: Duration) -> Int {
        Int((duration.secondsDouble * rate).rounded(.up))
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
