import Testing

@testable import PaymentsBench

@Suite("Latency histogram")
struct LatencyHistogramTests {
    /// Values from 1 µs to 60 s, spread over every power of ten and the edges of the range.
    static let values: [UInt64] = [
        1_000, 1_001, 1_999, 2_047, 2_048, 2_049, 4_095, 9_999, 12_345, 99_999, 123_457, 1_000_000, 3_333_333,
        17_000_001, 123_456_789, 999_999_999, 1_500_000_000, 9_876_543_210, 59_999_999_999, 60_000_000_000,
    ]

    @Test("single value keeps three significant digits", arguments: values)
    func singleValuePrecision(value: UInt64) {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: value)
        for percentile in [1.0, 50, 99, 99.9, 100] {
            let reported = histogram.valueNanoseconds(atPercentile: percentile)
            let error = abs(Double(reported) - Double(value)) / Double(value)
            #expect(error < 0.001, "value \(value) reported as \(reported) at p\(percentile)")
        }
    }

    @Test("bucket edges stay within 0.1%", arguments: values)
    func equivalentRange(value: UInt64) {
        let lowest = LatencyHistogram.valueFromIndex(LatencyHistogram.countsIndex(of: value))
        let highest = LatencyHistogram.highestEquivalentValue(value)
        #expect(lowest <= value)
        #expect(highest >= value)
        #expect(Double(highest - lowest) / Double(value) < 0.001)
    }

    @Test("memory does not grow with samples")
    func fixedMemory() {
        var histogram = LatencyHistogram()
        let counters = histogram.counterCount
        for step in 0..<200_000 {
            histogram.record(nanoseconds: UInt64(1_000 + step * 300_017 % 60_000_000_000))
        }
        #expect(histogram.counterCount == counters)
        #expect(histogram.totalCount == 200_000)
        #expect(counters * MemoryLayout<UInt64>.size < 300 * 1_024)
    }

    @Test("percentiles of a uniform sequence")
    func uniformPercentiles() {
        var histogram = LatencyHistogram()
        for microseconds in 1...10_000 {
            histogram.record(.microseconds(microseconds))
        }
        let expectations: [(percentile: Double, microseconds: Double)] = [
            (50, 5_000), (90, 9_000), (99, 9_900), (99.9, 9_990), (100, 10_000),
        ]
        for (percentile, expected) in expectations {
            let reported = Double(histogram.valueNanoseconds(atPercentile: percentile)) / 1_000
            #expect(abs(reported - expected) / expected < 0.001, "p\(percentile) reported \(reported) µs")
        }
        #expect(abs(histogram.meanNanoseconds - 5_000_500) < 1)
        #expect(histogram.minNanoseconds == 1_000)
        #expect(histogram.maxNanoseconds == 10_000_000)
    }

    @Test("percentile of a two-point distribution")
    func twoPoints() {
        var histogram = LatencyHistogram()
        for _ in 0..<990 {
            histogram.record(.microseconds(100))
        }
        for _ in 0..<10 {
            histogram.record(.seconds(2))
        }
        #expect(histogram.valueNanoseconds(atPercentile: 99) < 101_000)
        #expect(histogram.valueNanoseconds(atPercentile: 99.1) >= 1_998_000_000)
        #expect(histogram.valueNanoseconds(atPercentile: 100) == 2_000_000_000)
    }

    @Test("merge equals recording into one")
    func merge() {
        var left = LatencyHistogram()
        var right = LatencyHistogram()
        var both = LatencyHistogram()
        for value in Self.values.enumerated() {
            if value.offset.isMultiple(of: 2) {
                left.record(nanoseconds: value.element)
            } else {
                right.record(nanoseconds: value.element)
            }
            both.record(nanoseconds: value.element)
        }
        left.merge(right)
        #expect(left == both)
    }

    @Test("values above the range are clamped and counted")
    func clamped() {
        var histogram = LatencyHistogram(highestTrackable: .seconds(60))
        histogram.record(.seconds(120))
        histogram.record(.milliseconds(1))
        #expect(histogram.clampedCount == 1)
        #expect(histogram.maxNanoseconds == 120_000_000_000)
        #expect(histogram.valueNanoseconds(atPercentile: 100) == 120_000_000_000)
        #expect(histogram.valueNanoseconds(atPercentile: 50) < 1_001_000)
    }

    @Test("empty histogram reports zeros")
    func empty() {
        let histogram = LatencyHistogram()
        #expect(histogram.valueNanoseconds(atPercentile: 99) == 0)
        #expect(histogram.meanNanoseconds == 0)
        #expect(LatencySummary(histogram).p999Microseconds == 0)
    }

    @Test("reset keeps memory and clears counts")
    func reset() {
        var histogram = LatencyHistogram()
        histogram.record(.milliseconds(3))
        histogram.reset()
        #expect(histogram == LatencyHistogram())
    }
}
