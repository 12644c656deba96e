import Testing

@testable import RPCTransport

@Suite("Timer heap")
struct TimerHeapTests {
    private let start = ContinuousClock.now

    @Test("values come out in due order")
    func dueOrder() {
        var heap = TimerHeap<Int>()
        let offsets = [50, 10, 40, 30, 20, 70, 60, 0, 90, 80]
        for offset in offsets {
            heap.schedule(at: start + .milliseconds(offset), offset)
        }

        let due = heap.takeDue(now: start + .milliseconds(1000))

        #expect(due == offsets.sorted())
        #expect(heap.isEmpty)
    }

    @Test("only values due by now come out")
    func dueByNow() {
        var heap = TimerHeap<Int>()
        for offset in [5, 15, 25] {
            heap.schedule(at: start + .milliseconds(offset), offset)
        }

        let first = heap.takeDue(now: start + .milliseconds(15))

        #expect(first == [5, 15])
        #expect(heap.earliestDue == start + .milliseconds(25))
    }

    @Test("equal due times keep scheduling order")
    func ties() {
        var heap = TimerHeap<Int>()
        for value in 0..<20 {
            heap.schedule(at: start, value)
        }

        #expect(heap.takeDue(now: start) == Array(0..<20))
    }

    @Test("schedule reports a new earliest value")
    func earliest() {
        var heap = TimerHeap<Int>()

        let first = heap.schedule(at: start + .seconds(2), 1)
        let later = heap.schedule(at: start + .seconds(3), 2)
        let sooner = heap.schedule(at: start + .seconds(1), 3)

        #expect(first)
        #expect(!later)
        #expect(sooner)
        #expect(heap.earliestDue == start + .seconds(1))
    }

    @Test("a pseudo-random load comes out sorted", arguments: [1, 7, 1000])
    func randomLoad(count: Int) {
        var heap = TimerHeap<Int>()
        var generator = SplitMix(seed: UInt64(count))
        var scheduled: [Int] = []
        for _ in 0..<count {
            let offset = Int(generator.next() % 10_000)
            scheduled.append(offset)
            heap.schedule(at: start + .microseconds(offset), offset)
        }

        var expired: [Int] = []
        for step in stride(from: 0, through: 10_000, by: 500) {
            expired += heap.takeDue(now: start + .microseconds(step))
        }

        #expect(expired == scheduled.sorted())
    }
}

/// A small deterministic generator, so a failing case repeats.
private struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
