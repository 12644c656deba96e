import Synchronization

/// Work to run once something ended, such as a reactor's thread: work added before the end runs at the end,
/// and work added after it runs at once on the caller's thread.
final class EndCallbacks: Sendable {
    private let state = Mutex<(ended: Bool, work: [@Sendable () -> Void])>((false, []))

    /// Runs `work` at the end, or at once when the end already came.
    func add(_ work: @escaping @Sendable () -> Void) {
        let ended = state.withLock { state in
            if !state.ended {
                state.work.append(work)
            }
            return state.ended
        }
        if ended {
            work()
        }
    }

    /// Marks the end and runs the work added so far, on the calling thread; later calls do nothing.
    func end() {
        let work = state.withLock { state in
            state.ended = true
            defer { state.work = [] }
            return state.work
        }
        for item in work {
            item()
        }
    }
}
