internal import CSystemShim
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Socket set-up calls shared by the server and the client.
enum Socket {
    /// Opens a non-blocking listening socket; returns it and the bound address.
    static func listen(on address: SocketAddress, backlog: Int32) throws(RPCTransportError) -> (Int32, SocketAddress) {
        var socketAddress = try address.socketAddress()
        let descriptor = try SystemCall.run("socket") {
            Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            try setOption(descriptor, SOL_SOCKET, SO_REUSEADDR, 1)
            try SystemCall.run("bind") {
                withUnsafePointer(to: &socketAddress) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            try SystemCall.run("listen") { Glibc.listen(descriptor, backlog) }
            return (descriptor, try localAddress(of: descriptor))
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
    }

    /// Connects a TCP socket, waiting at most `timeout`; returns it non-blocking with TCP_NODELAY.
    ///
    /// Blocks the calling thread for up to `timeout` in poll(2); async callers use `connectOnOwnThread`.
    static func connect(to address: SocketAddress, timeout: Duration) throws(RPCTransportError) -> Int32 {
        var socketAddress = try address.socketAddress()
        let descriptor = try SystemCall.run("socket") {
            Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(RPCTransportError) {
            let result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result != 0 {
                guard errno == EINPROGRESS else {
                    throw SystemCall.failure("connect", errno)
                }
                try waitForConnect(descriptor, timeout: timeout)
            }
            try setOption(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            return descriptor
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
    }

    /// Connects as `connect(to:timeout:)` does, on a thread of its own, so that the wait never blocks an
    /// event loop or a thread of Swift's cooperative pool. Connections open rarely, so a thread each is cheap.
    static func connectOnOwnThread(to address: SocketAddress, timeout: Duration) async throws(RPCTransportError)
        -> Int32
    {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Int32, RPCTransportError>, Never>) in
            let thread = Thread {
                do throws(RPCTransportError) {
                    continuation.resume(returning: .success(try connect(to: address, timeout: timeout)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "rpc-connect"
            thread.start()
        }
        return try result.get()
    }

    private static func waitForConnect(_ descriptor: Int32, timeout: Duration) throws(RPCTransportError) {
        var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        let milliseconds = Int32(
            clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = try SystemCall.run("poll") { poll(&pollDescriptor, 1, max(1, milliseconds)) }
        guard ready > 0 else {
            throw RPCTransportError(.systemCallFailed, "connect timed out after \(timeout)", errorNumber: ETIMEDOUT)
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        try SystemCall.run("getsockopt") { getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) }
        guard error == 0 else {
            throw SystemCall.failure("connect", error)
        }
    }

    static func setOption(_ descriptor: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(RPCTransportError)
    {
        var value = value
        try SystemCall.run("setsockopt") {
            setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    static func localAddress(of descriptor: Int32) throws(RPCTransportError) -> SocketAddress {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try SystemCall.run("getsockname") {
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
        }
        return SocketAddress(address)
    }

    /// Accepts one connection, non-blocking and close-on-exec; nil when none is waiting.
    static func accept(_ listener: Int32) throws(RPCTransportError) -> (Int32, SocketAddress)? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        while true {
            let descriptor = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    csystem_accept4(
                        listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue))
                }
            }
            if descriptor >= 0 {
                return (descriptor, SocketAddress(address))
            }
            switch errno {
            case EINTR, ECONNABORTED:
                continue
            case EAGAIN, EWOULDBLOCK:
                return nil
            default:
                throw SystemCall.failure("accept4", errno)
            }
        }
    }

    /// Raises the soft limit of open descriptors to the hard limit; returns the new soft limit.
    @discardableResult
    static func raiseDescriptorLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            return 0
        }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return UInt64(limit.rlim_cur)
    }
}
