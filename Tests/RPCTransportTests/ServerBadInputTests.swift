import Foundation
import RPCMessages
import Testing

@testable import RPCTransport

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Server bad input", .serialized)
struct ServerBadInputTests {
    static let tlsClientHello: [UInt8] = [
        0x16, 0x03, 0x01, 0x00, 0x2F, 0x01, 0x00, 0x00, 0x2B, 0x03, 0x03, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
        0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
        0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00,
    ]

    @Test(
        "wrong preface closes at once",
        arguments: [
            Array("Hello\n".utf8), Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), tlsClientHello,
        ])
    func wrongPreface(bytes: [UInt8]) async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        connection.send(bytes)
        #expect(try await connection.readUntilClosed().isEmpty)
        let healthy = try RawConnection(port: port)
        try await healthy.handshake()
        healthy.send(requestFrame(callID: 1, method: "/test.Test/Echo"))
        #expect(try await healthy.readCall(1).status.code == .ok)
        await stop(server)
    }

    @Test("memory stays flat after 2,000 bad prefaces")
    func badPrefaceMemory() async throws {
        let (server, port) = try startTestServer()
        for _ in 0..<200 {
            let connection = try RawConnection(port: port)
            connection.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))
            _ = try await connection.readUntilClosed()
        }
        let before = residentBytes()
        for index in 0..<2_000 {
            let connection = try RawConnection(port: port)
            connection.send(index.isMultiple(of: 2) ? Array("Hello\n".utf8) : Self.tlsClientHello)
            _ = try await connection.readUntilClosed()
        }
        let after = residentBytes()
        #expect(after - before < 16 << 20, "resident memory grew from \(before) to \(after) bytes")
        #expect(server.statistics.openConnections == 0)
        let healthy = try RawConnection(port: port)
        try await healthy.handshake()
        healthy.send(requestFrame(callID: 1, method: "/test.Test/Echo"))
        #expect(try await healthy.readCall(1).status.code == .ok)
        await stop(server)
    }

    @Test(
        "bad first frame length closes",
        arguments: [
            [0xFF, 0xFF, 0xFF, 0xFF] as [UInt8], [0x80, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00, 0x00],
            [0x00, 0x00, 0x00, 0x07],
        ])
    func badFirstFrameLength(length: [UInt8]) async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        connection.send(
            ConnectionPreface.bytes + length + [FrameType.settings.rawValue, 0, 0, 0, 0, 0, 0, 0]
                + [UInt8](repeating: 0, count: 7))
        let frames = try await connection.readUntilClosed()
        #expect(frames.allSatisfy { $0.header.frameType == .goAway })
        await stop(server)
    }

    @Test(
        "bad frame length after the handshake closes",
        arguments: [
            ([0xFF, 0xFF, 0xFF, 0xFF] as [UInt8], FrameType.request), ([0x80, 0x00, 0x00, 0x00], .request),
            ([0x00, 0x00, 0x00, 0x00], .ping), ([0x00, 0x00, 0x00, 0x07], .ping), ([0x00, 0x00, 0x00, 0x00], .request),
        ])
    func badFrameLength(length: [UInt8], type: FrameType) async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        connection.send(length + [type.rawValue, 0, 0, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 7))
        let frames = try await connection.readUntilClosed()
        #expect(frames.last?.header.frameType == .goAway)
        let next = try RawConnection(port: port)
        try await next.handshake()
        await stop(server)
    }

    @Test("inner header length of 2^31-1 fails only that call")
    func innerLengthTooLarge() async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        var bytes: [UInt8] = []
        FrameEncoder.appendHeader(FrameHeader(length: 6, type: .request, flags: .endStream, callID: 1), to: &bytes)
        bytes += [0x7F, 0xFF, 0xFF, 0xFF, 0x0A, 0x00]
        connection.send(bytes + requestFrame(callID: 3, method: "/test.Test/Echo"))
        let first = try await connection.readCall(1)
        #expect(first.status.code == .invalidArgument)
        let second = try await connection.readCall(3)
        #expect(second.status.code == .ok)
        #expect(second.messages == [HealthCheckResponse(status: .serving).serializedBytes()])
        await stop(server)
    }

    @Test("frame over the hard cap closes without spinning")
    func frameOverCap() async throws {
        let (server, port) = try startTestServer {
            $0.maxFrameSize = 1 << 20
            $0.maxMessageSize = 64 << 10
        }
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        var bytes: [UInt8] = []
        FrameEncoder.appendHeader(FrameHeader(length: (1 << 20) + 1, type: .request, callID: 1), to: &bytes)
        connection.send(bytes + [UInt8](repeating: 0, count: 4096))
        let frames = try await connection.readUntilClosed()
        #expect(frames.last?.header.frameType == .goAway)

        // An idle loop wakes about 20 times a second for its timers; a spinning one millions of times.
        let turnsBefore = server.eventLoopTurns
        try await Task.sleep(for: .milliseconds(500))
        let turns = server.eventLoopTurns - turnsBefore
        #expect(turns < 200, "the event loops turned \(turns) times in 500 ms while idle")
        #expect(server.statistics.openConnections == 0)
        await stop(server)
    }

    @Test("message over the limit fails only its call")
    func messageOverLimit() async throws {
        let (server, port) = try startTestServer {
            $0.maxFrameSize = 1 << 20
            $0.maxMessageSize = 64 << 10
        }
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        var bytes: [UInt8] = []
        let large = HealthCheckRequest(service: String(repeating: "x", count: 200 << 10)).serializedBytes()
        FrameEncoder.appendRequest(
            callID: 1, header: CallHeader(method: "/test.Test/Echo").serializedBytes(), message: large, to: &bytes)
        connection.send(bytes + requestFrame(callID: 3, method: "/test.Test/Echo"))
        let first = try await connection.readCall(1)
        #expect(first.status.code == .resourceExhausted)
        #expect(first.status.notProcessed)
        #expect(try await connection.readCall(3).status.code == .ok)

        let justUnder = HealthCheckRequest(service: String(repeating: "y", count: 60 << 10)).serializedBytes()
        bytes = []
        FrameEncoder.appendRequest(
            callID: 5, header: CallHeader(method: "/test.Test/Echo").serializedBytes(), message: justUnder, to: &bytes)
        connection.send(bytes)
        #expect(try await connection.readCall(5).status.code == .ok)
        await stop(server)
    }

    private static func handshakeAndRequestBytes() -> [UInt8] {
        var bytes = ConnectionPreface.bytes
        FrameEncoder.appendFrame(
            type: .settings, callID: 0, payload: ConnectionSettings(protocolVersion: 1).serializedBytes(), to: &bytes)
        return bytes + requestFrame(callID: 1, method: "/test.Test/Echo")
    }

    @Test("request written one byte at a time")
    func oneByteAtATime() async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        var noDelay: Int32 = 1
        setsockopt(
            connection.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        for byte in Self.handshakeAndRequestBytes() {
            connection.send([byte])
        }
        let call = try await connection.readCall(1)
        #expect(call.status.code == .ok)
        #expect(call.messages == [HealthCheckResponse(status: .serving).serializedBytes()])
        await stop(server)
    }

    @Test("request split into two writes at every point")
    func splitAtEveryPoint() async throws {
        let (server, port) = try startTestServer()
        let bytes = Self.handshakeAndRequestBytes()
        for split in 1..<bytes.count {
            let connection = try RawConnection(port: port)
            var noDelay: Int32 = 1
            setsockopt(
                connection.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            connection.send(Array(bytes[0..<split]))
            try await Task.sleep(for: .milliseconds(1))
            connection.send(Array(bytes[split...]))
            let call = try await connection.readCall(1)
            #expect(call.status.code == .ok, "split at \(split)")
            #expect(call.messages.count == 1, "split at \(split)")
        }
        await stop(server)
    }

    @Test("three requests in one write")
    func threeRequestsInOneWrite() async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        connection.send(
            requestFrame(callID: 1, method: "/test.Test/Slow", service: "200")
                + requestFrame(callID: 2, method: "/test.Test/Fail", service: "domain")
                + requestFrame(callID: 3, method: "/test.Test/Echo"))
        var statuses: [UInt32: CallStatus] = [:]
        var messages: [UInt32: Int] = [:]
        while statuses.count < 3, let frame = try await connection.readFrame() {
            if frame.header.frameType == .status {
                statuses[frame.header.callID] = try CallStatus(serializedBytes: frame.payload)
            } else if frame.header.frameType == .data {
                messages[frame.header.callID, default: 0] += 1
            }
        }
        #expect(statuses[1]?.code == .ok)
        #expect(statuses[2]?.code == .failedPrecondition)
        #expect(statuses[2]?.domainCode == "REFUND_EXCEEDS_PAYMENT")
        #expect(statuses[3]?.code == .ok)
        #expect(messages == [1: 1, 3: 1])
        await stop(server)
    }

    @Test("client reset during a call leaves the server serving")
    func resetDuringCall() async throws {
        let service = TestService()
        let (server, port) = try startTestServer(service: service)
        for _ in 0..<20 {
            let connection = try RawConnection(port: port)
            try await connection.handshake()
            connection.send(requestFrame(callID: 1, method: "/test.Test/Slow", service: "300"))
            var linger = linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection.descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        }
        try await Task.sleep(for: .milliseconds(500))
        let next = try RawConnection(port: port)
        try await next.handshake()
        next.send(requestFrame(callID: 1, method: "/test.Test/Echo"))
        #expect(try await next.readCall(1).status.code == .ok)
        await stop(server)
    }

    @Test("slow call does not delay a later fast call")
    func slowCallDoesNotBlock() async throws {
        let (server, port) = try startTestServer()
        let connection = try RawConnection(port: port)
        try await connection.handshake()
        connection.send(
            requestFrame(callID: 1, method: "/test.Test/Slow", service: "2000")
                + requestFrame(callID: 3, method: "/test.Test/Echo"))
        var order: [UInt32] = []
        while order.count < 2, let frame = try await connection.readFrame() {
            if frame.header.frameType == .status {
                order.append(frame.header.callID)
            }
        }
        #expect(order == [3, 1])
        await stop(server)
    }
}
