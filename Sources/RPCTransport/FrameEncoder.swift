/// Appends encoded frames to an output buffer.
///
/// Writers collect every frame of one event-loop turn in one buffer and send
/// it with one system call, so the encoder appends and never allocates a
/// buffer per frame.
public enum FrameEncoder {
    /// Appends a frame header and its payload.
    ///
    /// `payload.count` must fit in a `UInt32`; callers check message sizes against the limits first.
    public static func appendFrame(
        type: FrameType, flags: FrameFlags = [], callID: UInt32, payload: some Collection<UInt8>,
        to output: inout [UInt8]
    ) {
        appendHeader(
            FrameHeader(length: UInt32(payload.count), type: type, flags: flags, callID: callID), to: &output)
        output.append(contentsOf: payload)
    }

    /// Appends the 12 header bytes.
    public static func appendHeader(_ header: FrameHeader, to output: inout [UInt8]) {
        BigEndian.appendUInt32(header.length, to: &output)
        output.append(header.type)
        output.append(header.flags.rawValue)
        output.append(0)
        output.append(0)
        BigEndian.appendUInt32(header.callID, to: &output)
    }

    /// Appends a REQUEST frame: `u32` header length, call header bytes, request message bytes.
    public static func appendRequest(
        callID: UInt32, header: [UInt8], message: [UInt8], flags: FrameFlags = .endStream,
        to output: inout [UInt8]
    ) {
        let length = 4 + header.count + message.count
        appendHeader(FrameHeader(length: UInt32(length), type: .request, flags: flags, callID: callID), to: &output)
        BigEndian.appendUInt32(UInt32(header.count), to: &output)
        output.append(contentsOf: header)
        output.append(contentsOf: message)
    }

    /// Appends a CREDIT frame granting `count` more messages.
    public static func appendCredit(callID: UInt32, count: UInt32, to output: inout [UInt8]) {
        appendHeader(FrameHeader(length: 4, type: .credit, callID: callID), to: &output)
        BigEndian.appendUInt32(count, to: &output)
    }
}

/// The parts of a REQUEST payload.
public struct RequestPayload: Sendable, Hashable {
    /// `CallHeader` bytes.
    public var header: ArraySlice<UInt8>
    /// Request message bytes.
    public var message: ArraySlice<UInt8>

    /// Splits a REQUEST payload; returns nil when the payload is shorter than 4 bytes
    /// or its header length field claims more bytes than follow it.
    public init?(splitting payload: [UInt8]) {
        guard payload.count >= 4 else {
            return nil
        }
        let headerLength = BigEndian.readUInt32(payload, at: 0)
        guard UInt64(headerLength) <= UInt64(payload.count - 4) else {
            return nil
        }
        let headerEnd = 4 + Int(headerLength)
        header = payload[4..<headerEnd]
        message = payload[headerEnd...]
    }
}
