import RPCMessages

extension ServerConnectionStateMachine {
    mutating func receive(_ frame: Frame, into actions: inout [Action]) {
        let header = frame.header
        if state == .awaitingSettings {
            receiveFirstSettings(frame, into: &actions)
            return
        }
        guard let type = header.frameType else {
            // Unknown frame types are ignored so that later versions can add optional frames.
            return
        }
        switch type {
        case .request:
            receiveRequest(frame, into: &actions)
        case .cancel:
            guard header.length == 0, header.callID != 0 else {
                protocolViolation("CANCEL must have an empty payload and a call id", into: &actions)
                return
            }
            if openCalls.remove(header.callID) != nil {
                actions.append(.cancelCall(callID: header.callID))
            }
        case .credit:
            guard header.length == 4, header.callID != 0 else {
                protocolViolation("CREDIT must have a 4-byte payload and a call id", into: &actions)
                return
            }
            let count = BigEndian.readUInt32(frame.payload, at: 0)
            if count > 0 && openCalls.contains(header.callID) {
                actions.append(.addCredit(callID: header.callID, count: count))
            }
        case .ping:
            guard header.length == 8, header.callID == 0 else {
                protocolViolation("PING must have an 8-byte payload and call id 0", into: &actions)
                return
            }
            if !header.flags.contains(.ack) {
                FrameEncoder.appendFrame(type: .ping, flags: .ack, callID: 0, payload: frame.payload, to: &output)
            }
        case .settings:
            // A later SETTINGS frame may only repeat the protocol version; limits stay as first announced.
            guard (try? ConnectionSettings(serializedBytes: frame.payload)) != nil else {
                protocolViolation("SETTINGS payload is not a valid ConnectionSettings message", into: &actions)
                return
            }
        case .goAway:
            // The client will send no new call; open calls still finish.
            break
        case .data, .status:
            protocolViolation("a client must not send \(type) frames in protocol version 1", into: &actions)
        }
    }

    private mutating func receiveFirstSettings(_ frame: Frame, into actions: inout [Action]) {
        guard frame.header.frameType == .settings, frame.header.callID == 0 else {
            protocolViolation("the first frame after the preface must be SETTINGS with call id 0", into: &actions)
            return
        }
        guard let settings = try? ConnectionSettings(serializedBytes: frame.payload) else {
            protocolViolation("SETTINGS payload is not a valid ConnectionSettings message", into: &actions)
            return
        }
        guard settings.protocolVersion == ConnectionPreface.protocolVersion else {
            protocolViolation(
                "unsupported protocol version \(settings.protocolVersion); this server speaks version 1",
                into: &actions)
            return
        }
        if settings.initialStreamCredit > 0 {
            peerStreamCredit = settings.initialStreamCredit
        }
        state = .active

        let reply = ConnectionSettings(
            protocolVersion: ConnectionPreface.protocolVersion, maxFrameSize: limits.maxFrameSize,
            maxMessageSize: limits.maxMessageSize, maxConcurrentCalls: limits.maxConcurrentCalls,
            initialStreamCredit: limits.initialStreamCredit)
        FrameEncoder.appendFrame(type: .settings, callID: 0, payload: reply.serializedBytes(), to: &output)
    }

    private mutating func receiveRequest(_ frame: Frame, into actions: inout [Action]) {
        let callID = frame.header.callID
        guard frame.payload.count >= 4 else {
            protocolViolation(
                "REQUEST payload of \(frame.payload.count) bytes is shorter than its 4-byte header length field",
                into: &actions)
            return
        }
        guard acceptNewCallID(callID, into: &actions) else {
            return
        }
        if let refusal = refusalOfNewCall(callID) {
            if refusal.code == .resourceExhausted {
                rejectedOverLimit += 1
            }
            appendStatus(callID: callID, status: refusal.callStatus)
            return
        }
        guard let parts = RequestPayload(splitting: frame.payload) else {
            let error = RPCError(
                code: .invalidArgument,
                message: "REQUEST header length field exceeds the \(frame.payload.count)-byte payload",
                notProcessed: true)
            appendStatus(callID: callID, status: error.callStatus)
            return
        }
        guard let callHeader = try? CallHeader(serializedBytes: Array(parts.header)) else {
            let error = RPCError(
                code: .invalidArgument, message: "the call header is not a valid CallHeader message",
                notProcessed: true)
            appendStatus(callID: callID, status: error.callStatus)
            return
        }
        guard parts.message.count <= Int(limits.maxMessageSize) else {
            appendStatus(callID: callID, status: messageTooLarge(parts.message.count).callStatus)
            return
        }
        guard frame.header.flags.contains(.endStream) else {
            let error = RPCError(
                code: .unimplemented, message: "client streaming is not supported; set END_STREAM on REQUEST",
                notProcessed: true)
            appendStatus(callID: callID, status: error.callStatus)
            return
        }
        openCalls.insert(callID)
        actions.append(.startCall(callID: callID, header: callHeader, message: Array(parts.message)))
    }

    /// Fails the call of a REQUEST too large to keep, and keeps the connection.
    mutating func receiveOversized(_ header: FrameHeader, into actions: inout [Action]) {
        guard header.frameType == .request, state != .awaitingSettings else {
            protocolViolation(
                "a \(header.frameType.map { "\($0)" } ?? "unknown") frame of \(header.length) bytes is too large",
                into: &actions)
            return
        }
        guard acceptNewCallID(header.callID, into: &actions) else {
            return
        }
        appendStatus(callID: header.callID, status: messageTooLarge(Int(header.length)).callStatus)
    }

    private func messageTooLarge(_ size: Int) -> RPCError {
        RPCError(
            code: .resourceExhausted,
            message: "request message of \(size) bytes exceeds the limit of \(limits.maxMessageSize) bytes",
            notProcessed: true)
    }

    /// Checks that call ids increase, so that a finished call's id is never reused.
    private mutating func acceptNewCallID(_ callID: UInt32, into actions: inout [Action]) -> Bool {
        guard callID > lastCallID else {
            protocolViolation(
                "call id \(callID) is not above the previous call id \(lastCallID); call ids must increase",
                into: &actions)
            return false
        }
        if case .draining = state {
            return true
        }
        lastCallID = callID
        return true
    }

    private func refusalOfNewCall(_ callID: UInt32) -> RPCError? {
        if case .draining(let drainID) = state, callID > drainID {
            return .unavailableNotProcessed("the server is shutting down and did not start this call")
        }
        if openCalls.count >= Int(limits.maxConcurrentCalls) {
            return RPCError(
                code: .resourceExhausted,
                message: "more than \(limits.maxConcurrentCalls) calls are open on this connection",
                isRetryable: true, notProcessed: true)
        }
        return nil
    }
}
