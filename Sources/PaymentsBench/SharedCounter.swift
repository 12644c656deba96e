import Synchronization

/// An atomic integer that concurrent tasks can capture, since `Atomic` itself cannot be captured by escaping closures.
final class SharedCounter: Sendable {
    private let value: Atomic<Int>

    init(_ initial: Int = 0) {
        value = Atomic(initial)
    }

    /// Adds `delta` and returns the value before the addition.
    @discardableResult
    func add(_ delta: Int) -> Int {
        value.wrappingAdd(delta, ordering: .relaxed).oldValue
    }

    func load() -> Int {
        value.load(ordering: .relaxed)
    }
}
