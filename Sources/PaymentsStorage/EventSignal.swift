import Synchronization

/// Fans a "new events may be readable" wake-up out to every subscribed stream.
///
/// Each stream buffers at most one element, so a slow consumer sees one wake-up for a burst of events.
final class EventSignal: Sendable {
    private struct State {
        var nextID = 0
        var continuations: [Int: AsyncStream<Void>.Continuation] = [:]
        var isFinished = false
    }

    private let state = Mutex(State())

    func subscribe() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let id: Int? = state.withLock { state in
            guard !state.isFinished else {
                return nil
            }
            let id = state.nextID
            state.nextID += 1
            state.continuations[id] = continuation
            return id
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    func notify() {
        let continuations = state.withLock { Array($0.continuations.values) }
        for continuation in continuations {
            continuation.yield()
        }
    }

    func finish() {
        let continuations = state.withLock { state in
            state.isFinished = true
            let all = Array(state.continuations.values)
            state.continuations = [:]
            return all
        }
        for continuation in continuations {
            continuation.finish()
        }
    }
}
