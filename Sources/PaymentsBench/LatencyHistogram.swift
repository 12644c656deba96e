/// A latency histogram with fixed memory and a relative error below 0.1% (three significant digits).
///
/// The layout is HdrHistogram's: values in nanoseconds fall into power-of-two buckets, each split into
/// 1,024 linear sub-buckets, so a bucket's width is at most 1/1,024 of the values it holds. Values from
/// 1 ns up to `highestTrackableNanoseconds` are kept with that precision in about 270 KiB whatever the
/// number of samples; a larger value is counted in `clampedCount` and recorded as the highest trackable
/// value. Percentiles return the highest value equivalent to the bucket, as HdrHistogram does, so they
/// never under-report. The minimum, maximum and mean are exact.
public struct LatencyHistogram: Sendable, Equatable {
    /// log2 of the sub-buckets in the lower half of each bucket.
    static let subBucketHalfCountMagnitude = 10
    static let subBucketHalfCount = 1 << subBucketHalfCountMagnitude
    static let subBucketMask: UInt64 = UInt64(2 * subBucketHalfCount - 1)

    /// Largest value kept at full precision, in nanoseconds.
    public let highestTrackableNanoseconds: UInt64
    private var counts: [UInt64]
    /// Samples recorded, clamped ones included.
    public private(set) var totalCount: UInt64 = 0
    /// Samples above `highestTrackableNanoseconds`.
    public private(set) var clampedCount: UInt64 = 0
    /// Smallest recorded value in nanoseconds; 0 when empty.
    public private(set) var minNanoseconds: UInt64 = 0
    /// Largest recorded value in nanoseconds, exact even when clamped; 0 when empty.
    public private(set) var maxNanoseconds: UInt64 = 0
    private var sumNanoseconds: Double = 0

    /// Creates an empty histogram; memory depends only on `highestTrackable` (one hour by default).
    public init(highestTrackable: Duration = .seconds(3_600)) {
        let highest = max(UInt64(2 * Self.subBucketHalfCount), highestTrackable.nanosecondsClamped)
        highestTrackableNanoseconds = highest

        var smallestUntrackable = UInt64(2 * Self.subBucketHalfCount)
        var bucketCount = 1
        while smallestUntrackable <= highest {
            if smallestUntrackable > UInt64.max / 2 {
                bucketCount += 1
                break
            }
            smallestUntrackable <<= 1
            bucketCount += 1
        }
        counts = Array(repeating: 0, count: (bucketCount + 1) << Self.subBucketHalfCountMagnitude)
    }

    /// Number of counters, which fixes the memory use.
    public var counterCount: Int { counts.count }

    /// Records one duration; negative durations count as 0.
    public mutating func record(_ duration: Duration) {
        record(nanoseconds: duration.nanosecondsClamped)
    }

    /// Records one value in nanoseconds.
    public mutating func record(nanoseconds value: UInt64) {
        if totalCount == 0 || value < minNanoseconds {
            minNanoseconds = value
        }
        maxNanoseconds = max(maxNanoseconds, value)
        totalCount += 1
        sumNanoseconds += Double(value)

        var tracked = value
        if value > highestTrackableNanoseconds {
            clampedCount += 1
            tracked = highestTrackableNanoseconds
        }
        counts[Self.countsIndex(of: tracked)] += 1
    }

    /// Adds every sample of `other`, which must have the same `highestTrackableNanoseconds`.
    public mutating func merge(_ other: LatencyHistogram) {
        precondition(other.counts.count == counts.count, "histograms with different ranges cannot be merged")
        guard other.totalCount > 0 else {
            return
        }
        for index in counts.indices {
            counts[index] += other.counts[index]
        }
        minNanoseconds = totalCount == 0 ? other.minNanoseconds : min(minNanoseconds, other.minNanoseconds)
        maxNanoseconds = max(maxNanoseconds, other.maxNanoseconds)
        totalCount += other.totalCount
        clampedCount += other.clampedCount
        sumNanoseconds += other.sumNanoseconds
    }

    /// Removes every sample and keeps the memory.
    public mutating func reset() {
        for index in counts.indices {
            counts[index] = 0
        }
        totalCount = 0
        clampedCount = 0
        minNanoseconds = 0
        maxNanoseconds = 0
        sumNanoseconds = 0
    }

    /// Arithmetic mean in nanoseconds, from the exact values; 0 when empty.
    public var meanNanoseconds: Double {
        totalCount == 0 ? 0 : sumNanoseconds / Double(totalCount)
    }

    /// Returns the value below or at which `percentile` percent of the samples fall, in nanoseconds.
    ///
    /// `percentile` is clamped to 0...100; 0 returns the minimum and 100 the maximum. The result is
    /// the highest value of the sample's bucket, capped at the recorded maximum; 0 when empty.
    public func valueNanoseconds(atPercentile percentile: Double) -> UInt64 {
        guard totalCount > 0 else {
            return 0
        }
        let clamped = min(100, max(0, percentile))
        if clamped == 0 {
            return minNanoseconds
        }
        if clamped == 100 {
            return maxNanoseconds
        }
        let wanted = max(1, UInt64((clamped / 100 * Double(totalCount)).rounded(.up)))

        var seen: UInt64 = 0
        for index in counts.indices where counts[index] > 0 {
            seen += counts[index]
            if seen >= wanted {
                let value = Self.highestEquivalentValue(Self.valueFromIndex(index))
                return min(max(value, minNanoseconds), maxNanoseconds)
            }
        }
        return maxNanoseconds
    }

    static func countsIndex(of value: UInt64) -> Int {
        let bucketIndex = Self.bucketIndex(of: value)
        let subBucketIndex = Int(value >> UInt64(bucketIndex))
        let bucketBaseIndex = (bucketIndex + 1) << subBucketHalfCountMagnitude
        return bucketBaseIndex + subBucketIndex - subBucketHalfCount
    }

    static func bucketIndex(of value: UInt64) -> Int {
        64 - (value | subBucketMask).leadingZeroBitCount - (subBucketHalfCountMagnitude + 1)
    }

    static func valueFromIndex(_ index: Int) -> UInt64 {
        var bucketIndex = (index >> subBucketHalfCountMagnitude) - 1
        var subBucketIndex = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucketIndex < 0 {
            subBucketIndex -= subBucketHalfCount
            bucketIndex = 0
        }
        return UInt64(subBucketIndex) << UInt64(bucketIndex)
    }

    /// Largest value that falls in the same counter as `value`.
    static func highestEquivalentValue(_ value: UInt64) -> UInt64 {
        let width = UInt64(1) << UInt64(bucketIndex(of: value))
        let lowest = valueFromIndex(countsIndex(of: value))
        return lowest &+ width &- 1
    }
}

extension Duration {
    /// Whole nanoseconds, 0 for negative durations and `UInt64.max` past it.
    var nanosecondsClamped: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else {
            return 0
        }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else {
            return .max
        }
        let fraction = attoseconds / 1_000_000_000
        if fraction < 0 {
            return whole - UInt64(-fraction)
        }
        let (sum, sumOverflow) = whole.addingReportingOverflow(UInt64(fraction))
        return sumOverflow ? .max : sum
    }
}
