import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Delivers SIGTERM, SIGINT and SIGHUP to handlers on a dispatch queue instead of in signal context.
final class SignalWatcher: @unchecked Sendable {
    // Sendable by confinement: the sources are created once in `init` and only cancelled afterwards.
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "payments.signals")

    /// Starts watching; `onStop` gets the signal number, `onReload` runs on SIGHUP.
    init(onStop: @escaping @Sendable (Int32) -> Void, onReload: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { onStop(signalNumber) }
            source.resume()
            sources.append(source)
        }
        signal(SIGHUP, SIG_IGN)
        let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        reload.setEventHandler { onReload() }
        reload.resume()
        sources.append(reload)
    }

    func cancel() {
        for source in sources {
            source.cancel()
        }
    }
}
