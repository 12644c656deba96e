import RPCMessages
import Testing

@testable import RPCTransport

@Suite("Peer of another protocol")
struct ForeignPeerTests {
    private func callError(port: Int) async -> RPCError? {
        let client = RPCClient(
            configuration: RPCClientConfiguration(port: port, retryPolicy: RetryPolicy(maxAttempts: 1)))
        defer { Task { await client.close() } }
        do {
            _ = try await client.unary(
                path: "/test.Test/Echo", request: HealthCheckRequest(), responseType: HealthCheckResponse.self,
                options: CallOptions(timeout: .seconds(5)), safeToRetry: false)
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test("HTTP answer named as HTTP")
    func httpAnswer() async throws {
        let server = try SilentServer(reply: Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
        defer { server.stop() }

        let error = await callError(port: server.port)

        #expect(error?.code == .unavailable)
        #expect(error?.notProcessed == true)
        #expect(error?.message.contains("answered with HTTP") == true, "\(String(describing: error))")
        #expect(error?.message.contains("maxFrameSize") == false, "\(String(describing: error))")
    }

    @Test("garbage answer is not a frame")
    func garbageAnswer() async throws {
        let server = try SilentServer(reply: [UInt8](repeating: 0xFF, count: 16))
        defer { server.stop() }

        let error = await callError(port: server.port)

        #expect(error?.code == .unavailable)
        #expect(error?.notProcessed == true)
        #expect(
            error?.message.contains("first bytes are not a frame of this RPC protocol") == true,
            "\(String(describing: error))")
    }
}
