import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a handler on a dispatch queue at each Ctrl-C (SIGINT) in place of the default action, until `cancel()`.
public final class InterruptWatch: @unchecked Sendable {
    // Sendable by confinement: `source` is set once in `init`, and dispatch sources may be cancelled from any
    // thread.
    private let source: any DispatchSourceSignal

    public init(handler: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "payments.sigint"))
        source.setEventHandler(handler: handler)
        source.resume()
    }

    /// Stops watching and restores the default action, which ends the process.
    public func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
