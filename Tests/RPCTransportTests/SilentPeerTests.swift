import Foundation
import RPCMessages
import Testing

@testable import RPCTransport

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP listener on 127.0.0.1 that accepts one connection, sends `reply` (nothing by default), then reads
/// everything and never replies again. With a reply, it stands for a program of another protocol on the port.
final class SilentServer: @unchecked Sendable {
    let listener: Int32
    let port: Int
    private var accepted: Int32 = -1

    init(reply: [UInt8] = []) throws {
        let (descriptor, address) = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0), backlog: 4)
        listener = descriptor
        port = address.port
        let flags = fcntl(descriptor, F_GETFL)
        _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK)
        // A thread of its own: the blocking accept and recv hold no thread that tasks or Dispatch need.
        let thread = Thread { [self] in
            let connection = accept(listener, nil, nil)
            accepted = connection
            if !reply.isEmpty {
                _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            var buffer = [UInt8](repeating: 0, count: 4096)
            while recv(connection, &buffer, buffer.count, 0) > 0 {}
        }
        thread.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        if accepted >= 0 {
            shutdown(accepted, Int32(SHUT_RDWR))
        }
    }
}

@Suite("Silent peer")
struct SilentPeerTests {
    @Test("unanswered PING fails pending calls")
    func unansweredPing() async throws {
        let server = try SilentServer()
        defer { server.stop() }
        let client = RPCClient(
            configuration: RPCClientConfiguration(
                port: server.port, keepaliveInterval: .milliseconds(300), keepaliveTimeout: .milliseconds(300),
                retryPolicy: RetryPolicy(maxAttempts: 1)))
        let started = ContinuousClock.now
        var failure: RPCError?
        do {
            _ = try await client.unary(
                path: "/test.Test/Echo", request: HealthCheckRequest(), responseType: HealthCheckResponse.self,
                options: CallOptions(timeout: .seconds(10)), safeToRetry: false)
        } catch {
            failure = error as? RPCError
        }
        let elapsed = ContinuousClock.now - started
        #expect(failure?.code == .unavailable)
        #expect(failure?.notProcessed == false)
        #expect(elapsed < .seconds(5), "the call failed after \(elapsed), not at the keepalive timeout")
        await client.close()
    }
}
