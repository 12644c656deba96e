import RPCMessages
import Testing

@testable import RPCTransport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Server resources", .serialized)
struct ServerResourceTests {
    @Test("idle connections cost under 16 KiB each")
    func idleConnectionMemory() async throws {
        let (server, port) = try startTestServer()
        let count = 1_000
        var warmup: [RawConnection] = []
        for _ in 0..<50 {
            let connection = try RawConnection(port: port)
            try await connection.handshake()
            warmup.append(connection)
        }
        let before = residentBytes()

        var connections: [RawConnection] = []
        connections.reserveCapacity(count)
        for _ in 0..<count {
            let connection = try RawConnection(port: port)
            try await connection.handshake()
            connection.send(requestFrame(callID: 1, method: "/test.Test/Echo"))
            #expect(try await connection.readCall(1).status.code == .ok)
            connections.append(connection)
        }
        // Two event-loop ticks release the receive and send buffers of idle connections.
        try await Task.sleep(for: .milliseconds(300))
        let after = residentBytes()

        #expect(server.statistics.openConnections == count + warmup.count)
        let perConnection = (after - before) / count
        #expect(perConnection < 16 << 10, "each idle connection costs \(perConnection) bytes of resident memory")
        connections.removeAll()
        warmup.removeAll()
        await stop(server)
    }

    @Test("connections spread over the loops")
    func connectionsSpreadOverLoops() async throws {
        let (server, port) = try startTestServer()
        var connections: [RawConnection] = []
        for _ in 0..<40 {
            connections.append(try RawConnection(port: port))
        }
        for connection in connections {
            try await connection.handshake()
        }

        let counts = await server.connectionCountsPerLoop()
        connections.removeAll()
        await stop(server)

        #expect(counts == [20, 20])
    }

    @Test("silent connection closes at the handshake timeout")
    func handshakeTimeout() async throws {
        let (server, port) = try startTestServer { $0.handshakeTimeout = .milliseconds(200) }
        let connection = try RawConnection(port: port)
        connection.send(Array(ConnectionPreface.bytes[0..<4]))
        #expect(try await connection.readUntilClosed().isEmpty)
        #expect(server.statistics.openConnections == 0)
        await stop(server)
    }

    @Test("idle connection gets GOAWAY and closes")
    func idleTimeout() async throws {
        let (server, port) = try startTestServer { $0.idleTimeout = .milliseconds(300) }
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        let frames = try await connection.readUntilClosed()
        #expect(frames.map(\.header.frameType) == [.goAway])
        await stop(server)
    }

    @Test("connections over maxConnections are closed")
    func maxConnections() async throws {
        let (server, port) = try startTestServer { $0.maxConnections = 2 }
        let first = try RawConnection(port: port)
        try await first.handshake()
        let second = try RawConnection(port: port)
        try await second.handshake()
        let third = try RawConnection(port: port)
        third.send(ConnectionPreface.bytes)
        #expect(try await third.readUntilClosed().isEmpty)
        first.send(requestFrame(callID: 1, method: "/test.Test/Echo"))
        #expect(try await first.readCall(1).status.code == .ok)
        await stop(server)
    }

    @Test("large responses to a slow reader all arrive")
    func largeResponsesSlowReader() async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        var bytes: [UInt8] = []
        for index in 0..<16 {
            bytes += requestFrame(callID: UInt32(2 * index + 1), method: "/test.Test/Mirror", service: "\(1 << 20)")
        }
        connection.send(bytes)
        try await Task.sleep(for: .milliseconds(300))
        for index in 0..<16 {
            let call = try await connection.readCall(UInt32(2 * index + 1))
            #expect(call.status.code == .ok)
            let response = try HealthCheckRequest(serializedBytes: try #require(call.messages.first))
            #expect(response.service.utf8.count == 1 << 20)
        }
        await stop(server)
    }

    @Test("reader that never reads is closed at the write-stall timeout")
    func writeStall() async throws {
        let (server, port) = try startTestServer { $0.writeStallTimeout = .milliseconds(300) }
        let connection = try RawConnection(port: port)
        var size: Int32 = 4096
        setsockopt(connection.descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        try await connection.handshake()
        var bytes: [UInt8] = []
        for index in 0..<16 {
            bytes += requestFrame(callID: UInt32(2 * index + 1), method: "/test.Test/Mirror", service: "\(1 << 20)")
        }
        connection.send(bytes)
        for _ in 0..<100 where server.statistics.openConnections > 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(server.statistics.openConnections == 0)
        await stop(server)
    }

    @Test("statistics count connections and calls")
    func statistics() async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        connection.send(
            requestFrame(callID: 1, method: "/test.Test/Echo") + requestFrame(callID: 3, method: "/test.Test/Echo"))
        _ = try await connection.readCall(1)
        _ = try await connection.readCall(3)
        let statistics = server.statistics
        #expect(statistics.openConnections == 1)
        #expect(statistics.acceptedConnections == 1)
        #expect(statistics.callsStarted == 2)
        #expect(statistics.callsCompleted == 2)
        #expect(statistics.callsEndedEarly == 0)
        await stop(server)
    }

    @Test("statistics count calls ended early")
    func statisticsEndedEarly() async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        var cancel: [UInt8] = []
        FrameEncoder.appendFrame(type: .cancel, callID: 1, payload: [], to: &cancel)
        connection.send(requestFrame(callID: 1, method: "/test.Test/Slow", service: "10000") + cancel)
        connection.send(requestFrame(callID: 3, method: "/test.Test/Echo"))
        _ = try await connection.readCall(3)
        for _ in 0..<100 where server.statistics.callsEndedEarly == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        let statistics = server.statistics

        #expect(statistics.callsStarted == 2)
        #expect(statistics.callsCompleted == 1)
        #expect(statistics.callsEndedEarly == 1)
        await stop(server)
    }

    @Test("second start is rejected")
    func secondStart() async throws {
        let (server, _) = try startTestServer()
        #expect(throws: RPCTransportError.self) {
            _ = try server.start()
        }
        await stop(server)
    }

    @Test(
        "invalid configuration is rejected",
        arguments: [
            RPCServerConfiguration(eventLoopCount: 0), RPCServerConfiguration(maxFrameSize: 1024, maxMessageSize: 4096),
            RPCServerConfiguration(host: "localhost"), RPCServerConfiguration(port: 70_000),
        ])
    func invalidConfiguration(configuration: RPCServerConfiguration) {
        let server = RPCServer(configuration: configuration, services: [], logger: .init(label: "rpc.test"))
        #expect(throws: RPCTransportError.self) {
            _ = try server.start()
        }
    }
}
