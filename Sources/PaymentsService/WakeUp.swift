internal import Synchronization

/// A coalescing wake-up that one waiter awaits with a timeout.
///
/// `signal()` before `wait` is remembered, so a wake-up between a read and the wait is never lost. Shared
/// between the signal listener task and the watch loop, hence the mutex.
final class WakeUp: Sendable {
    private struct State {
        var pending = false
        var finished = false
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next `wait` when nobody waits now.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: true)
    }

    /// Ends the wake-ups for good: the current and every later `wait` return false.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: false)
    }

    /// Returns true after a signal or when `interval` passed, false once finished.
    func wait(upTo interval: Duration) async -> Bool {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: interval)
            self?.signal()
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let immediate = state.withLock { state -> Bool? in
                if state.finished {
                    return false
                }
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return nil
            }
            if let immediate {
                continuation.resume(returning: immediate)
            }
        }
    }
}
