/// One event loop thread of a running ``RPCServer``, on which other code can wait for its own descriptors.
///
/// The PostgreSQL store sends a call's statements and reads their results on the loop that serves the call.
/// A handler task prefers its loop, so a result read there resumes the task in the same turn, with no
/// other thread to wake. Only ``inLoopThread``, ``execute(_:)`` and ``whenStopped(_:)`` may be called from
/// any thread. Every other method must run on the loop thread, in work given to ``execute(_:)`` or in a
/// handler task.
public struct ServerEventLoop: Sendable {
    let loop: EventLoop

    /// True when called on this loop's thread.
    public var inLoopThread: Bool {
        loop.inLoopThread
    }

    /// Runs `work` on the loop thread during its next turn; callable from any thread.
    ///
    /// Returns false, dropping `work`, when the loop already stopped. Work accepted runs even when the loop
    /// stops meanwhile, in its last turn.
    @discardableResult
    public func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        loop.execute(work)
    }

    /// Runs `work` on the loop thread at the end of the current turn, after the events and the tasks it ran,
    /// before the loop waits again.
    public func executeAtEndOfTurn(_ work: @escaping () -> Void) {
        precondition(inLoopThread, "ServerEventLoop.executeAtEndOfTurn runs on its loop thread only")
        loop.markDirty(EndOfTurnWork(work: work))
    }

    /// Calls `handler` on the loop thread whenever `descriptor` is readable, has an error or was hung up on,
    /// and also whenever it is writable while ``setWritable(_:for:)`` requested that. The handler's argument
    /// is true when the descriptor may be written to. The descriptor stays open and owned by the caller.
    ///
    /// - Throws: `RPCTransportError` `systemCallFailed` when epoll rejects the descriptor.
    public func watch(_ descriptor: Int32, handler: @escaping (_ writable: Bool) -> Void) throws(RPCTransportError) {
        precondition(inLoopThread, "ServerEventLoop.watch runs on its loop thread only")
        try loop.register(descriptor, events: EpollEvents.input, channel: DescriptorWatch(handler: handler))
    }

    /// Adds or removes writability from the events reported for a watched descriptor.
    public func setWritable(_ writable: Bool, for descriptor: Int32) {
        precondition(inLoopThread, "ServerEventLoop.setWritable runs on its loop thread only")
        loop.modify(descriptor, events: EpollEvents.input | (writable ? EpollEvents.output : 0))
    }

    /// Stops watching `descriptor`, which stays open.
    public func unwatch(_ descriptor: Int32) {
        precondition(inLoopThread, "ServerEventLoop.unwatch runs on its loop thread only")
        loop.deregister(descriptor)
    }

    /// Runs `work` once the loop stopped and will run nothing more: on the loop thread as it ends, or at once
    /// on the caller's thread when the loop already ended. Callable from any thread.
    public func whenStopped(_ work: @escaping @Sendable () -> Void) {
        loop.whenEnded(work)
    }
}

/// Work of code outside the transport, run where the loop sends queued output at the end of a turn.
private final class EndOfTurnWork: EventLoopChannel {
    private let work: () -> Void

    init(work: @escaping () -> Void) {
        self.work = work
    }

    func handleEvents(_ events: UInt32) {}

    func flush() {
        work()
    }
}

/// A watched descriptor that belongs to code outside the transport.
private final class DescriptorWatch: EventLoopChannel {
    private let handler: (_ writable: Bool) -> Void

    init(handler: @escaping (_ writable: Bool) -> Void) {
        self.handler = handler
    }

    func handleEvents(_ events: UInt32) {
        // After an error or a hang-up, a write fails at once, which is how the owner learns of it.
        handler(events & (EpollEvents.output | EpollEvents.error | EpollEvents.hangUp) != 0)
    }

    func flush() {}
}
