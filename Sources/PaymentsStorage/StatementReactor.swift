/// A thread that waits on file descriptors and runs work queued for it, on which the PostgreSQL store sends
/// single statements and reads their results.
///
/// The server adapts its event loops to this protocol (see ``PostgresPaymentStore/runStatements(on:)``),
/// so a call's statements go out and their results come back on the thread that serves the call, with no
/// other thread to wake. Only ``isCurrent``, ``execute(_:)`` and ``whenStopped(_:)`` may be called from any
/// thread. The other methods run on the reactor's thread.
public protocol StatementReactor: Sendable {
    /// True when called on the reactor's thread.
    var isCurrent: Bool { get }

    /// Runs `work` on the reactor's thread soon. Returns false, dropping `work`, when the reactor stopped.
    /// Work accepted runs even if the reactor stops meanwhile.
    func execute(_ work: @escaping @Sendable () -> Void) -> Bool

    /// Runs `work` on the reactor's thread after the events and work of its current turn, before it waits
    /// again. Called on the reactor's thread.
    func executeAtEndOfTurn(_ work: @escaping () -> Void)

    /// Calls `handler` whenever `descriptor` is readable, has an error or was hung up on, and also whenever
    /// it is writable while ``setWritable(_:for:)`` requested that. The handler's argument is true when the
    /// descriptor may be written to. The descriptor stays open and owned by the caller.
    func watch(_ descriptor: Int32, handler: @escaping (_ writable: Bool) -> Void) throws

    /// Adds or removes writability from the events reported for a watched descriptor.
    func setWritable(_ writable: Bool, for descriptor: Int32)

    /// Stops watching `descriptor`, which stays open.
    func unwatch(_ descriptor: Int32)

    /// Runs `work` once the reactor stopped and will run nothing more: on its thread as the thread ends, or at
    /// once on the caller's thread when the reactor already ended.
    func whenStopped(_ work: @escaping @Sendable () -> Void)
}
