import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The first Ctrl-C (SIGINT) of a run: the generator starts no more operations, the ones in flight end, and the
/// report covers what ran. A second Ctrl-C exits at once with status 130, as an interrupted command does.
final class BenchInterrupt: @unchecked Sendable {
    // Sendable by confinement: `source` is set once in `init`, and dispatch sources may be cancelled from any
    // thread.
    private final class Flag: Sendable {
        let isSet = Atomic<Bool>(false)
    }

    private let flag = Flag()
    private let source: DispatchSourceSignal?

    /// Whether a stop was requested.
    var isRequested: Bool {
        flag.isSet.load(ordering: .relaxed)
    }

    /// Creates an interrupt that is never set, for runs that do not own SIGINT, such as those in tests.
    init() {
        source = nil
    }

    /// Watches SIGINT until `cancel()`, printing `notice` on standard error at the first one.
    init(watchingSIGINTWith notice: String) {
        let flag = flag
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(
            signal: SIGINT, queue: DispatchQueue(label: "payments.bench.sigint"))
        source.setEventHandler {
            guard !flag.isSet.exchange(true, ordering: .relaxed) else {
                exit(BenchCommand.exitInterrupted)
            }
            FileHandle.standardError.write(Data(("\n" + notice + "\n").utf8))
        }
        source.resume()
        self.source = source
    }

    /// Stops watching SIGINT and restores its default action.
    func cancel() {
        source?.cancel()
        if source != nil {
            signal(SIGINT, SIG_DFL)
        }
    }
}
