import PaymentsStorage
import RPCTransport

/// A server event loop as the PostgreSQL store's statement reactor.
struct EventLoopStatementReactor: StatementReactor {
    let loop: ServerEventLoop

    var isCurrent: Bool {
        loop.inLoopThread
    }

    func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        loop.execute(work)
    }

    func executeAtEndOfTurn(_ work: @escaping () -> Void) {
        loop.executeAtEndOfTurn(work)
    }

    func watch(_ descriptor: Int32, handler: @escaping (_ writable: Bool) -> Void) throws {
        try loop.watch(descriptor, handler: handler)
    }

    func setWritable(_ writable: Bool, for descriptor: Int32) {
        loop.setWritable(writable, for: descriptor)
    }

    func unwatch(_ descriptor: Int32) {
        loop.unwatch(descriptor)
    }

    func whenStopped(_ work: @escaping @Sendable () -> Void) {
        loop.whenStopped(work)
    }
}
