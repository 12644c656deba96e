import RPCMessages

/// The protocol logic of one server connection, as a value: bytes in, actions and bytes out.
///
/// The event loop feeds received bytes to `receive(_:into:)`, runs the
/// returned actions, and sends what accumulates in `output`. Handlers report
/// back through `completeCall` and `sendMessage`. Nothing here does I/O, so
/// tests drive it with byte arrays.
struct ServerConnectionStateMachine {
    enum State: Equatable {
        case awaitingPreface(matched: Int)
        case awaitingSettings
        case active
        /// GOAWAY was sent; calls up to `lastCallID` finish, later ones are refused.
        case draining(lastCallID: UInt32)
        case closed
    }

    /// Something the event loop must do after `receive`.
    enum Action: Equatable {
        /// Run the handler of a new call.
        case startCall(callID: UInt32, header: CallHeader, message: [UInt8])
        /// Stop a running call; no status is sent for it.
        case cancelCall(callID: UInt32)
        /// Let a server-streaming call send `count` more messages.
        case addCredit(callID: UInt32, count: UInt32)
        /// Send what is in `output`, then close; `error` is nil for a clean close.
        case close(RPCTransportError?)
    }

    struct Limits {
        var maxFrameSize: UInt32
        var maxMessageSize: UInt32
        var maxConcurrentCalls: UInt32
        var initialStreamCredit: UInt32
    }

    var state: State = .awaitingPreface(matched: 0)
    /// Bytes to send to the peer; the event loop drains it.
    var output: [UInt8] = []
    var openCalls: Set<UInt32> = []
    /// Highest call id the peer opened so far.
    var lastCallID: UInt32 = 0
    /// Calls rejected so far because `maxConcurrentCalls` calls were open, for the server's log.
    var rejectedOverLimit = 0
    /// Messages a new stream may send before it needs CREDIT, as the client announced.
    var peerStreamCredit: UInt32
    var decoder: FrameDecoder
    let limits: Limits

    init(limits: Limits) {
        self.limits = limits
        self.peerStreamCredit = limits.initialStreamCredit
        // The header-length field and a call header fit in 64 KiB beyond the message.
        let buffered = min(UInt64(limits.maxFrameSize), UInt64(limits.maxMessageSize) + 65_536)
        self.decoder = FrameDecoder(maxFrameSize: limits.maxFrameSize, maxBufferedPayloadSize: UInt32(buffered))
    }

    /// True once the connection has no reason to stay open: drained with no open call, or closed.
    var isFinished: Bool {
        switch state {
        case .closed: true
        case .draining: openCalls.isEmpty
        default: false
        }
    }

    /// True before the preface and SETTINGS arrived.
    var isHandshaking: Bool {
        switch state {
        case .awaitingPreface, .awaitingSettings: true
        default: false
        }
    }

    /// Frees receive memory when no partial frame is buffered.
    mutating func releaseBuffersIfIdle() {
        decoder.releaseBufferIfEmpty()
        if output.isEmpty {
            output = []
        }
    }

    /// Consumes received bytes and appends the resulting actions.
    mutating func receive(_ bytes: UnsafeRawBufferPointer, into actions: inout [Action]) {
        var bytes = bytes
        if case .awaitingPreface(let matched) = state {
            let expected = ConnectionPreface.bytes
            let count = min(bytes.count, expected.count - matched)
            for offset in 0..<count where bytes[offset] != expected[matched + offset] {
                state = .closed
                actions.append(
                    .close(RPCTransportError(.invalidPreface, "the first bytes are not the RPC connection preface")))
                return
            }
            let total = matched + count
            state = total == expected.count ? .awaitingSettings : .awaitingPreface(matched: total)
            bytes = UnsafeRawBufferPointer(rebasing: bytes[count...])
        }
        guard state != .closed, !bytes.isEmpty else {
            return
        }
        decoder.append(bytes)
        drainDecoder(into: &actions)
    }

    private mutating func drainDecoder(into actions: inout [Action]) {
        while state != .closed {
            let next: FrameDecoder.Output?
            do {
                next = try decoder.next()
            } catch {
                fail(error, goAwayCode: .resourceExhausted, into: &actions)
                return
            }
            switch next {
            case nil:
                return
            case .skipped(let header):
                receiveOversized(header, into: &actions)
            case .frame(let frame):
                receive(frame, into: &actions)
            }
        }
    }

    /// Starts a graceful drain: GOAWAY with the last accepted call id; open calls continue.
    mutating func beginDrain(into actions: inout [Action]) {
        switch state {
        case .active:
            state = .draining(lastCallID: lastCallID)
            appendGoAway(code: .ok, message: "the server is shutting down; retry calls above lastCallID elsewhere")
        case .awaitingPreface, .awaitingSettings:
            state = .closed
            actions.append(.close(nil))
        case .draining, .closed:
            break
        }
    }

    /// Ends a call with an optional last message and a status; ignored for a call no longer open.
    mutating func completeCall(_ callID: UInt32, message: [UInt8]?, status: CallStatus) {
        guard openCalls.remove(callID) != nil else {
            return
        }
        if let message {
            FrameEncoder.appendFrame(type: .data, callID: callID, payload: message, to: &output)
        }
        appendStatus(callID: callID, status: status)
    }

    /// Forgets a call whose handler sent its status directly to the shared output.
    mutating func forgetCall(_ callID: UInt32) {
        openCalls.remove(callID)
    }

    /// Forgets every open call, when the connection is closed under them.
    mutating func markClosed() {
        state = .closed
        openCalls.removeAll()
    }

    func appendStatusFrame(callID: UInt32, status: CallStatus, to output: inout [UInt8]) {
        FrameEncoder.appendFrame(type: .status, callID: callID, payload: status.serializedBytes(), to: &output)
    }

    mutating func appendStatus(callID: UInt32, status: CallStatus) {
        appendStatusFrame(callID: callID, status: status, to: &output)
    }

    mutating func appendGoAway(code: StatusCode, message: String) {
        let goAway = GoAway(lastCallID: lastCallID, code: code, message: message)
        FrameEncoder.appendFrame(type: .goAway, callID: 0, payload: goAway.serializedBytes(), to: &output)
    }

    /// Sends GOAWAY with the error and closes.
    mutating func fail(_ error: RPCTransportError, goAwayCode: StatusCode, into actions: inout [Action]) {
        appendGoAway(code: goAwayCode, message: error.message)
        state = .closed
        actions.append(.close(error))
    }

    mutating func protocolViolation(_ message: String, into actions: inout [Action]) {
        fail(RPCTransportError(.protocolViolation, message), goAwayCode: .invalidArgument, into: &actions)
    }
}
