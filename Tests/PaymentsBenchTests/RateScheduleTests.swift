import Testing

@testable import PaymentsBench

@Suite("Open-loop schedule")
struct RateScheduleTests {
    @Test("constant rate spaces calls evenly")
    func constant() throws {
        let schedule = try RateSchedule.parse("1000")
        #expect(schedule.totalDuration == nil)
        #expect(schedule.intendedOffset(ofCall: 0) == .zero)
        for index in [1, 10, 999, 12_345] {
            let offset = try #require(schedule.intendedOffset(ofCall: index))
            #expect(abs(offset.secondsDouble - Double(index) / 1_000) < 1e-9)
        }
    }

    @Test("intended times ignore how late calls are")
    func intendedTimesAreFixed() {
        let schedule = RateSchedule(constant: 100)
        let before = (0..<50).compactMap { schedule.intendedOffset(ofCall: $0) }
        let after = (0..<50).compactMap { schedule.intendedOffset(ofCall: $0) }
        #expect(before == after)
        #expect(zip(before, before.dropFirst()).allSatisfy { abs(($1 - $0).secondsDouble - 0.01) < 1e-9 })
    }

    @Test("steps follow each other")
    func stepped() throws {
        let schedule = try RateSchedule.parse("100:1s,1000:2s")
        #expect(schedule.totalDuration == .seconds(3))
        #expect(schedule.intendedOffset(ofCall: 99).map { abs($0.secondsDouble - 0.99) < 1e-9 } == true)
        #expect(schedule.intendedOffset(ofCall: 100) == .seconds(1))
        #expect(schedule.intendedOffset(ofCall: 101).map { abs($0.secondsDouble - 1.001) < 1e-9 } == true)
        #expect(schedule.intendedOffset(ofCall: 2_099).map { abs($0.secondsDouble - 2.999) < 1e-9 } == true)
        #expect(schedule.intendedOffset(ofCall: 2_100) == nil)
        #expect(schedule.rate(at: .milliseconds(500)) == 100)
        #expect(schedule.rate(at: .milliseconds(1_500)) == 1_000)
        #expect(schedule.intendedCallCount(from: .zero, to: .seconds(3)) == 2_100)
        #expect(schedule.intendedCallCount(from: .seconds(1), to: .seconds(2)) == 1_000)
    }

    @Test("step index follows offsets")
    func stepIndex() throws {
        let schedule = try RateSchedule.parse("100:1s,1000:2s,10:1s")
        #expect(schedule.stepIndex(at: .zero) == 0)
        #expect(schedule.stepIndex(at: .milliseconds(999)) == 0)
        #expect(schedule.stepIndex(at: .seconds(1)) == 1)
        #expect(schedule.stepIndex(at: .milliseconds(2_999)) == 1)
        #expect(schedule.stepIndex(at: .seconds(3)) == 2)
        #expect(schedule.stepIndex(at: .seconds(60)) == 2)
        #expect(RateSchedule(constant: 5).stepIndex(at: .seconds(60)) == 0)
    }

    @Test("offsets increase across steps")
    func monotonic() throws {
        let schedule = try RateSchedule.parse("300:1s,50:1s,2000:500ms")
        let offsets = (0..<2_000).compactMap { schedule.intendedOffset(ofCall: $0) }
        #expect(offsets.count == 1_350)
        #expect(zip(offsets, offsets.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test("rejects bad rates", arguments: ["0", "-5", "fast", "100:", "100:10", "100:0s", ":10s", "100:10s,"])
    func rejects(text: String) {
        #expect(throws: BenchError.self) { try RateSchedule.parse(text) }
    }
}
