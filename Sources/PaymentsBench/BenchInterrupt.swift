import Foundation
import PaymentsCommandLine
import Synchronization

/// Ctrl-C (SIGINT) during a run. Before the load starts (setup and probe), it exits at once with status 130, as an
/// interrupted command does. Once the load runs, the first Ctrl-C stops new operations, the ones in flight end, and
/// the report covers what ran. A second Ctrl-C exits at once.
final class BenchInterrupt: Sendable {
    private final class Flag: Sendable {
        let isSet = Atomic<Bool>(false)
        let isLoadRunning = Atomic<Bool>(false)
        let setAt = Mutex<ContinuousClock.Instant?>(nil)
    }

    private let flag = Flag()
    private let watch: InterruptWatch?

    /// Whether a stop was requested.
    var isRequested: Bool {
        flag.isSet.load(ordering: .relaxed)
    }

    /// The time of the load's first Ctrl-C, or nil before one.
    var requestedAt: ContinuousClock.Instant? {
        flag.setAt.withLock { $0 }
    }

    /// Creates an interrupt that is never set, for runs that do not own SIGINT, such as those in tests.
    init() {
        watch = nil
    }

    /// Watches SIGINT until `cancel()`. Prints `notice` at the first one once the load runs, or `beforeLoad` when
    /// it exits before the load started.
    init(watchingSIGINTWith notice: String, beforeLoad: String) {
        let flag = flag
        watch = InterruptWatch {
            guard flag.isLoadRunning.load(ordering: .relaxed) else {
                FileHandle.standardError.write(Data(("\n" + beforeLoad + "\n").utf8))
                exit(BenchCommand.exitInterrupted)
            }
            guard !flag.isSet.exchange(true, ordering: .relaxed) else {
                exit(BenchCommand.exitInterrupted)
            }
            flag.setAt.withLock { $0 = .now }
            FileHandle.standardError.write(Data(("\n" + notice + "\n").utf8))
        }
    }

    /// Marks the start of the load: from now on the first Ctrl-C lets the run end with a report.
    func loadStarted() {
        flag.isLoadRunning.store(true, ordering: .relaxed)
    }

    /// Stops watching SIGINT and restores its default action.
    func cancel() {
        watch?.cancel()
    }
}
