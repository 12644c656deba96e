/// Values due at instants, ordered by due time; a binary min-heap.
///
/// Values due at the same instant come out in the order they were scheduled.
struct TimerHeap<Value> {
    struct Entry {
        let due: ContinuousClock.Instant
        /// Scheduling order, which breaks ties between equal due times.
        let sequence: UInt64
        let value: Value

        func precedes(_ other: Entry) -> Bool {
            due < other.due || (due == other.due && sequence < other.sequence)
        }
    }

    private var entries: [Entry] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { entries.isEmpty }

    /// Due time of the earliest value, or nil when none is scheduled.
    var earliestDue: ContinuousClock.Instant? { entries.first?.due }

    /// Adds `value`; returns true when it became the earliest one.
    @discardableResult
    mutating func schedule(at due: ContinuousClock.Instant, _ value: Value) -> Bool {
        entries.append(Entry(due: due, sequence: nextSequence, value: value))
        nextSequence &+= 1
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else {
                break
            }
            entries.swapAt(child, parent)
            child = parent
        }
        return child == 0
    }

    /// Removes and returns the values due at or before `now`, earliest first.
    mutating func takeDue(now: ContinuousClock.Instant) -> [Value] {
        var due: [Value] = []
        while let first = entries.first, first.due <= now {
            due.append(first.value)
            removeFirst()
        }
        return due
    }

    private mutating func removeFirst() {
        let last = entries.removeLast()
        guard !entries.isEmpty else {
            return
        }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].precedes(entries[smallest]) {
                smallest = left
            }
            if right < entries.count && entries[right].precedes(entries[smallest]) {
                smallest = right
            }
            guard smallest != parent else {
                return
            }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
