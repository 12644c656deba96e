import Foundation

/// Runs `body` on a new thread and resumes the awaiting task with its result.
///
/// Blocking calls in tests (`Process.waitUntilExit()`, reads from a pipe or a blocking socket) go through
/// here so that none of them holds a thread of Swift's cooperative pool, which has one thread per core. With
/// every pool thread blocked, no other task of the parallel run progresses, including a task that would
/// unblock them.
public func runOnDedicatedThread<T: Sendable, E: Error>(
    _ body: @escaping @Sendable () throws(E) -> T
) async throws(E) -> T {
    let result: Result<T, E> = await withCheckedContinuation { continuation in
        let thread = Thread {
            continuation.resume(returning: Result { () throws(E) -> T in try body() })
        }
        thread.start()
    }
    return try result.get()
}
