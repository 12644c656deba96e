import PaymentsLogging
import Testing

@testable import PaymentsAuth

@Suite("BadTokenLimiter")
struct BadTokenLimiterTests {
    let start = ContinuousClock.now

    @Test("burst then suppression")
    func burstThenSuppression() {
        let limiter = BadTokenLimiter(configuration: .init(burst: 10, refillPerSecond: 1))

        for attempt in 0..<10 {
            #expect(limiter.recordFailure(peer: "10.0.0.1", now: start), "failure \(attempt) was suppressed")
        }
        #expect(!limiter.recordFailure(peer: "10.0.0.1", now: start))
        #expect(limiter.isLimited(peer: "10.0.0.1", now: start))
        #expect(!limiter.isLimited(peer: "10.0.0.2", now: start))
        #expect(limiter.recordFailure(peer: "10.0.0.2", now: start))
    }

    @Test("bucket refills over time")
    func refills() {
        let limiter = BadTokenLimiter(configuration: .init(burst: 3, refillPerSecond: 1))
        for _ in 0..<3 {
            limiter.recordFailure(peer: "peer", now: start)
        }
        #expect(limiter.isLimited(peer: "peer", now: start))
        #expect(limiter.isLimited(peer: "peer", now: start + .milliseconds(900)))
        #expect(!limiter.isLimited(peer: "peer", now: start + .seconds(1)))

        #expect(limiter.recordFailure(peer: "peer", now: start + .seconds(1)))
        #expect(!limiter.recordFailure(peer: "peer", now: start + .seconds(1)))
        #expect(limiter.recordFailure(peer: "peer", now: start + .seconds(2)))
    }

    @Test("refill stops at burst")
    func refillCapped() {
        let limiter = BadTokenLimiter(configuration: .init(burst: 2, refillPerSecond: 1))
        limiter.recordFailure(peer: "peer", now: start)
        let later = start + .seconds(3600)
        #expect(limiter.recordFailure(peer: "peer", now: later))
        #expect(limiter.recordFailure(peer: "peer", now: later))
        #expect(!limiter.recordFailure(peer: "peer", now: later))
    }

    @Test("peer table stays bounded")
    func boundedTable() {
        let limiter = BadTokenLimiter(configuration: .init(burst: 5, refillPerSecond: 1, maxPeers: 16))
        for index in 0..<1000 {
            limiter.recordFailure(peer: "10.0.\(index / 256).\(index % 256)", now: start)
            #expect(limiter.trackedPeerCount <= 16)
        }
        #expect(limiter.trackedPeerCount == 16)

        let summary = limiter.takeSummary(now: start)
        #expect(summary?.badTokens == 1000)
        #expect(summary?.evictedPeers == 1000 - 16)
    }

    @Test("full table drops refilled peers first")
    func dropsRefilledPeersFirst() {
        let limiter = BadTokenLimiter(configuration: .init(burst: 2, refillPerSecond: 1, maxPeers: 2))
        limiter.recordFailure(peer: "idle", now: start)
        limiter.recordFailure(peer: "busy", now: start + .seconds(1))
        limiter.recordFailure(peer: "busy", now: start + .seconds(1))

        limiter.recordFailure(peer: "new", now: start + .seconds(2))
        #expect(limiter.trackedPeerCount == 2)
        #expect(limiter.isLimited(peer: "busy", now: start + .seconds(1)))
        #expect(limiter.takeSummary(now: start + .seconds(2))?.evictedPeers == 0)
    }

    @Test("summary is rate limited and resets")
    func summaryInterval() {
        let limiter = BadTokenLimiter(configuration: .init(burst: 2, summaryInterval: .seconds(10)))
        #expect(limiter.takeSummary(now: start) == nil)

        for _ in 0..<5 {
            limiter.recordFailure(peer: "peer", now: start)
        }
        let first = limiter.takeSummary(now: start)
        #expect(first == BadTokenSummary(badTokens: 5, suppressed: 3, peers: 1, evictedPeers: 0))
        #expect(first?.description == "badTokens=5 suppressed=3 peers=1 evictedPeers=0")

        limiter.recordFailure(peer: "peer", now: start + .seconds(1))
        #expect(limiter.takeSummary(now: start + .seconds(5)) == nil)
        #expect(limiter.takeSummary(now: start + .seconds(10))?.badTokens == 1)
        #expect(limiter.takeSummary(now: start + .seconds(30)) == nil)
    }

    @Test("summary logs one line")
    func summaryLogsOneLine() {
        let sink = LogSink.memory()
        let logger = Logger(label: "auth", sink: sink)
        let limiter = BadTokenLimiter()
        for _ in 0..<50 {
            limiter.recordFailure(peer: "peer", now: start)
            limiter.logSummaryIfDue(to: logger, now: start)
        }
        #expect(sink.capturedLines.count == 1)
        #expect(sink.capturedLines.first?.contains("auth.bad_tokens=1") == true)
    }
}
