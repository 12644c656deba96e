import RPCMessages
import Testing

@testable import RPCTransport

@Suite("Server connection state machine")
struct ServerConnectionStateMachineTests {
    private static let limits = ServerConnectionStateMachine.Limits(
        maxFrameSize: 1 << 20, maxMessageSize: 64 << 10, maxConcurrentCalls: 2, initialStreamCredit: 4)

    private func receive(_ machine: inout ServerConnectionStateMachine, _ bytes: [UInt8])
        -> [ServerConnectionStateMachine.Action]
    {
        var actions: [ServerConnectionStateMachine.Action] = []
        bytes.withUnsafeBytes { machine.receive($0, into: &actions) }
        return actions
    }

    private func frames(in bytes: [UInt8]) throws -> [Frame] {
        var decoder = FrameDecoder(maxFrameSize: 1 << 20)
        decoder.append(bytes)
        var frames: [Frame] = []
        while case .frame(let frame) = try decoder.next() {
            frames.append(frame)
        }
        return frames
    }

    private func handshaken(settings: ConnectionSettings = ConnectionSettings(protocolVersion: 1))
        -> ServerConnectionStateMachine
    {
        var machine = ServerConnectionStateMachine(limits: Self.limits)
        var bytes = ConnectionPreface.bytes
        FrameEncoder.appendFrame(type: .settings, callID: 0, payload: settings.serializedBytes(), to: &bytes)
        _ = receive(&machine, bytes)
        machine.output = []
        return machine
    }

    @Test("handshake answers with SETTINGS")
    func handshake() throws {
        var machine = ServerConnectionStateMachine(limits: Self.limits)
        var bytes = ConnectionPreface.bytes
        FrameEncoder.appendFrame(
            type: .settings, callID: 0,
            payload: ConnectionSettings(protocolVersion: 1, initialStreamCredit: 9).serializedBytes(), to: &bytes)
        #expect(receive(&machine, bytes).isEmpty)
        #expect(machine.state == .active)
        #expect(machine.peerStreamCredit == 9)
        let reply = try frames(in: machine.output)
        #expect(reply.count == 1)
        let settings = try ConnectionSettings(serializedBytes: reply[0].payload)
        #expect(settings.protocolVersion == 1)
        #expect(settings.maxMessageSize == 64 << 10)
        #expect(settings.maxConcurrentCalls == 2)
    }

    @Test("wrong preface byte closes without output", arguments: 0..<8)
    func wrongPrefaceByte(index: Int) {
        var machine = ServerConnectionStateMachine(limits: Self.limits)
        var bytes = ConnectionPreface.bytes
        bytes[index] ^= 0xFF
        let actions = receive(&machine, bytes)
        #expect(actions.count == 1)
        if case .close(let error) = actions.first {
            #expect(error?.code == .invalidPreface)
        } else {
            Issue.record("expected close, got \(actions)")
        }
        #expect(machine.output.isEmpty)
        #expect(machine.state == .closed)
    }

    @Test("unsupported protocol version closes")
    func unsupportedVersion() throws {
        var machine = ServerConnectionStateMachine(limits: Self.limits)
        var bytes = ConnectionPreface.bytes
        FrameEncoder.appendFrame(
            type: .settings, callID: 0, payload: ConnectionSettings(protocolVersion: 2).serializedBytes(), to: &bytes)
        let actions = receive(&machine, bytes)
        #expect(actions.count == 1)
        #expect(machine.state == .closed)
        #expect(try frames(in: machine.output).map(\.header.frameType) == [.goAway])
    }

    @Test("request starts a call and completion sends DATA and STATUS")
    func requestAndCompletion() throws {
        var machine = handshaken()
        let actions = receive(&machine, requestFrame(callID: 1, method: "/test.Test/Echo", service: "x"))
        #expect(
            actions == [
                .startCall(
                    callID: 1, header: CallHeader(method: "/test.Test/Echo"),
                    message: HealthCheckRequest(service: "x").serializedBytes())
            ])
        machine.completeCall(1, message: [1, 2], status: CallStatus())
        let output = try frames(in: machine.output)
        #expect(output.map(\.header.frameType) == [.data, .status])
        #expect(output.map(\.header.callID) == [1, 1])
        #expect(machine.openCalls.isEmpty)
    }

    @Test("call ids must increase")
    func decreasingCallID() {
        var machine = handshaken()
        _ = receive(&machine, requestFrame(callID: 5, method: "/m"))
        let actions = receive(&machine, requestFrame(callID: 3, method: "/m"))
        #expect(actions.contains { if case .close = $0 { true } else { false } })
        #expect(machine.state == .closed)
    }

    @Test("calls over the concurrency limit are refused")
    func concurrencyLimit() throws {
        var machine = handshaken()
        _ = receive(&machine, requestFrame(callID: 1, method: "/m") + requestFrame(callID: 3, method: "/m"))
        let actions = receive(&machine, requestFrame(callID: 5, method: "/m"))
        #expect(actions.isEmpty)
        let output = try frames(in: machine.output)
        let status = try CallStatus(serializedBytes: output[0].payload)
        #expect(status.code == .resourceExhausted)
        #expect(status.notProcessed)
        #expect(status.retryable)
        #expect(machine.rejectedOverLimit == 1)
    }

    @Test("cancel, credit and ping")
    func cancelCreditPing() throws {
        var machine = handshaken()
        _ = receive(&machine, requestFrame(callID: 1, method: "/m"))
        var bytes: [UInt8] = []
        FrameEncoder.appendCredit(callID: 1, count: 7, to: &bytes)
        FrameEncoder.appendFrame(type: .cancel, callID: 1, payload: [], to: &bytes)
        FrameEncoder.appendFrame(type: .ping, callID: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8], to: &bytes)
        let actions = receive(&machine, bytes)
        #expect(actions == [.addCredit(callID: 1, count: 7), .cancelCall(callID: 1)])
        let output = try frames(in: machine.output)
        #expect(output.count == 1)
        #expect(output[0].header.flags.contains(.ack))
        #expect(output[0].payload == [1, 2, 3, 4, 5, 6, 7, 8])
        machine.output = []
        machine.completeCall(1, message: [9], status: CallStatus())
        #expect(machine.output.isEmpty)
    }

    @Test("drain sends GOAWAY and refuses later calls")
    func drain() throws {
        var machine = handshaken()
        _ = receive(&machine, requestFrame(callID: 1, method: "/m"))
        var actions: [ServerConnectionStateMachine.Action] = []
        machine.beginDrain(into: &actions)
        #expect(actions.isEmpty)
        let goAwayFrames = try frames(in: machine.output)
        #expect(goAwayFrames.map(\.header.frameType) == [.goAway])
        #expect(try GoAway(serializedBytes: goAwayFrames[0].payload).lastCallID == 1)
        machine.output = []

        #expect(receive(&machine, requestFrame(callID: 3, method: "/m")).isEmpty)
        let refused = try CallStatus(serializedBytes: try frames(in: machine.output)[0].payload)
        #expect(refused.code == .unavailable)
        #expect(refused.notProcessed)
        #expect(!machine.isFinished)
        machine.completeCall(1, message: nil, status: CallStatus())
        #expect(machine.isFinished)
    }

    @Test("client-only frame types from the client close", arguments: [FrameType.data, .status])
    func forbiddenFrames(type: FrameType) {
        var machine = handshaken()
        var bytes: [UInt8] = []
        FrameEncoder.appendFrame(type: type, callID: 1, payload: [], to: &bytes)
        _ = receive(&machine, bytes)
        #expect(machine.state == .closed)
    }

    @Test("idle machine releases its buffers")
    func releasesBuffers() {
        var machine = handshaken()
        _ = receive(&machine, requestFrame(callID: 1, method: "/m"))
        machine.completeCall(1, message: nil, status: CallStatus())
        machine.output = []
        machine.releaseBuffersIfIdle()
        #expect(machine.output.capacity == 0)
        #expect(machine.decoder.bufferedByteCount == 0)
    }
}
