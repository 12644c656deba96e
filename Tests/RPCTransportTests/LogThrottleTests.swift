import PaymentsLogging
import Testing

@Suite("Log throttle")
struct LogThrottleTests {
    @Test("one line per interval, with the count held back")
    func oneLinePerInterval() {
        let throttle = LogThrottle(interval: .seconds(1))
        let start = ContinuousClock.now

        #expect(throttle.admit("STORE_UNAVAILABLE get", now: start) == 0)
        #expect(throttle.admit("STORE_UNAVAILABLE get", now: start + .milliseconds(10)) == nil)
        #expect(throttle.admit("STORE_UNAVAILABLE get", now: start + .milliseconds(999)) == nil)
        #expect(throttle.admit("STORE_UNAVAILABLE get", now: start + .seconds(1)) == 2)
        #expect(throttle.admit("STORE_UNAVAILABLE get", now: start + .seconds(5)) == 0)
    }

    @Test("keys are throttled apart")
    func separateKeys() {
        let throttle = LogThrottle(interval: .seconds(1))
        let start = ContinuousClock.now

        #expect(throttle.admit("STORE_UNAVAILABLE get", now: start) == 0)
        #expect(throttle.admit("STORE_UNAVAILABLE list", now: start) == 0)
        #expect(throttle.admit("INTERNAL get", now: start) == 0)
        #expect(throttle.admit("STORE_UNAVAILABLE get", now: start) == nil)
    }

    @Test("concurrent failures are all counted")
    func concurrentCount() async {
        let throttle = LogThrottle(interval: .seconds(3600))
        let start = ContinuousClock.now
        let admitted = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<1000 {
                group.addTask { throttle.admit("key", now: start) }
            }
            return await group.reduce(into: [Int?]()) { $0.append($1) }
        }

        #expect(admitted.compactMap { $0 }.count == 1)
        #expect(throttle.admit("key", now: start + .seconds(3600)) == 999)
    }
}
