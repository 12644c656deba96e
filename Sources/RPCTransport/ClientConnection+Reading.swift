import RPCMessages

#if canImport(Glibc)
    import Glibc
#endif

extension ClientConnection {
    /// Reads and dispatches frames; loop thread only.
    func handleEvents(_ events: UInt32) {
        if events & EpollEvents.output != 0 {
            flushOnLoop()
        }
        guard events & (EpollEvents.input | EpollEvents.error | EpollEvents.hangUp) != 0 else {
            return
        }
        let buffer = loop.readBuffer
        let descriptor = state.withLock { $0.descriptor }
        guard descriptor >= 0 else {
            return
        }
        for _ in 0..<4 {
            let count = Glibc.recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                return
            }
            guard count > 0 else {
                let reason =
                    count == 0 ? "the server closed the connection" : SystemCall.failure("recv", errno).message
                close(with: .connectionLost(reason), byPeer: true)
                return
            }
            let bytes = UnsafeRawBufferPointer(start: buffer.baseAddress, count: count)
            // A frame starts with its length's high byte, which is "H" only for frames of 1.2 GB or more, so
            // the HTTP check costs no lock on the frames of this protocol.
            if decoder.bufferedByteCount == 0 && Self.startsHTTP(bytes) && !state.withLock({ $0.receivedSettings }) {
                close(
                    with: .connectionLost(
                        "the server answered with HTTP, not this RPC protocol; check the address and port"),
                    byPeer: true)
                return
            }
            decoder.append(bytes)
            guard dispatchFrames() else {
                return
            }
            if count < buffer.count {
                return
            }
        }
    }

    /// Checks whether `bytes`, the first a peer sent, begin an HTTP response, as from a web server on the port.
    static func startsHTTP(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 5 && bytes.prefix(5).elementsEqual("HTTP/".utf8)
    }

    /// Handles every complete frame; returns false when the connection was closed.
    private func dispatchFrames() -> Bool {
        state.withLock { $0.lastReceivedAt = .now }
        while true {
            let output: FrameDecoder.Output?
            do {
                output = try decoder.next()
            } catch {
                // Before SETTINGS, a bad frame means the peer speaks another protocol, so the decoder's advice
                // about frame sizes would mislead.
                if state.withLock({ $0.receivedSettings }) {
                    close(with: .connectionLost("the server sent an invalid frame: \(error.message)"))
                } else {
                    close(
                        with: .connectionLost(
                            "the server's first bytes are not a frame of this RPC protocol; check the address and port"),
                        byPeer: true)
                }
                return false
            }
            switch output {
            case nil:
                decoder.releaseBufferIfEmpty()
                return true
            case .skipped:
                return true
            case .frame(let frame):
                guard receive(frame) else {
                    return false
                }
            }
        }
    }

    private func receive(_ frame: Frame) -> Bool {
        let callID = frame.header.callID
        switch frame.header.frameType {
        case .data:
            state.withLock { state in
                switch state.pending[callID] {
                case .unary(let continuation, _):
                    state.pending[callID] = .unary(continuation, response: frame.payload)
                case .stream(let continuation):
                    continuation.yield(frame.payload)
                case nil:
                    break
                }
            }
        case .status:
            // An empty payload is the encoding of OK, the common case, which needs no decoder.
            let status =
                frame.payload.isEmpty
                ? CallStatus()
                : (try? CallStatus(serializedBytes: frame.payload))
                    ?? RPCError(code: .internal, message: "the server sent an undecodable status").callStatus
            let (pending, chunk) = state.withLock { state -> (PendingCall?, Chunk?) in
                guard let pending = state.pending.removeValue(forKey: callID) else {
                    return (nil, nil)
                }
                _ = Self.endCall(&state, callID: callID)
                Self.sendQueuedCalls(&state)
                return (pending, Self.takeChunk(&state))
            }
            send(chunk)
            if let pending {
                complete(pending, status: status)
            }
        case .ping:
            if frame.header.flags.contains(.ack) {
                state.withLock { $0.pingSentAt = nil }
            } else {
                let chunk = state.withLock { state -> Chunk? in
                    FrameEncoder.appendFrame(
                        type: .ping, flags: .ack, callID: 0, payload: frame.payload, to: &state.output)
                    return Self.takeChunk(&state)
                }
                send(chunk)
            }
        case .goAway:
            receiveGoAway((try? GoAway(serializedBytes: frame.payload)) ?? GoAway(code: .unavailable))
        case .settings:
            let settings = try? ConnectionSettings(serializedBytes: frame.payload)
            let chunk = state.withLock { state -> Chunk? in
                state.receivedSettings = true
                // Zero or undecodable settings mean no limit.
                let limit = settings?.maxConcurrentCalls ?? 0
                state.maxSentCalls = limit > 0 ? Int(limit) : Int.max
                Self.sendQueuedCalls(&state)
                return Self.takeChunk(&state)
            }
            send(chunk)
        case nil:
            break
        case .request, .cancel, .credit:
            close(with: .connectionLost("the server sent a client-only frame"))
            return false
        }
        return true
    }

    private func complete(_ pending: PendingCall, status: CallStatus) {
        guard status.code == .ok else {
            Self.resolve(pending, with: .failure(RPCError(status: status)))
            return
        }
        if case .unary(_, let response) = pending, response == nil {
            let error = RPCError(code: .internal, message: "the server ended the call with OK but sent no response")
            Self.resolve(pending, with: .failure(error))
            return
        }
        if case .unary(_, let response?) = pending {
            Self.resolve(pending, with: .success(response))
        } else {
            Self.resolve(pending, with: .success([]))
        }
    }

    /// Fails calls the server will not run and stops new calls on this connection.
    private func receiveGoAway(_ goAway: GoAway) {
        let refused = state.withLock { state -> [PendingCall] in
            state.goAwayLastCallID = goAway.lastCallID
            usable.store(false, ordering: .releasing)
            // Queued calls have higher ids than every sent call, so none of them is kept.
            Self.dropQueuedCalls(&state)
            let ids = state.pending.keys.filter { $0 > goAway.lastCallID }
            return ids.compactMap { state.pending.removeValue(forKey: $0) }
        }
        let error = RPCError.unavailableNotProcessed("the server is going away and did not start this call")
        for pending in refused {
            Self.resolve(pending, with: .failure(error))
        }
    }

    /// Closes the socket and fails every pending call with `error`; callable from any thread.
    ///
    /// `byPeer` is true when the server closed the connection. The server sends SETTINGS before
    /// it starts any handler and TCP keeps order, so calls on a connection that the server
    /// closed before its SETTINGS arrived were not processed.
    func close(with error: RPCError, byPeer: Bool = false) {
        var error = error
        let (pending, descriptor, closeNow) = state.withLock { state -> ([PendingCall], Int32, Bool) in
            let descriptor = state.descriptor
            if byPeer && !state.receivedSettings {
                error.notProcessed = true
            }
            usable.store(false, ordering: .releasing)
            if state.failure == nil {
                state.failure = error
            }
            state.descriptor = -1
            let pending = Array(state.pending.values)
            state.pending.removeAll()
            state.sentCalls = 0
            Self.dropQueuedCalls(&state)
            state.output = []
            // A thread in send(2) closes the socket when it returns, so its number is not reused under it.
            let closeNow = !state.isSending
            if descriptor >= 0 && state.isSending {
                state.closeAfterSend = true
            }
            return (pending, descriptor, closeNow)
        }
        if descriptor >= 0 {
            loop.remove(self, descriptor: descriptor, closeDescriptor: closeNow)
        }
        for call in pending {
            Self.resolve(call, with: .failure(error))
        }
    }

    /// Sends a PING when calls wait on a silent server; closes when a PING went unanswered.
    func checkKeepalive(now: ContinuousClock.Instant) {
        let (dead, chunk) = state.withLock { state -> (Bool, Chunk?) in
            guard !state.pending.isEmpty, state.descriptor >= 0 else {
                state.pingSentAt = nil
                return (false, nil)
            }
            if let sentAt = state.pingSentAt {
                return (now - sentAt > configuration.keepaliveTimeout, nil)
            }
            guard now - state.lastReceivedAt > configuration.keepaliveInterval else {
                return (false, nil)
            }
            state.pingSentAt = now
            FrameEncoder.appendFrame(
                type: .ping, callID: 0, payload: [UInt8](repeating: 0, count: 8), to: &state.output)
            return (false, Self.takeChunk(&state))
        }
        send(chunk)
        if dead {
            close(with: .connectionLost("the server did not answer a keepalive PING"))
        }
    }
}
