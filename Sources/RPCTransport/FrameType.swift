/// Kind of a frame, the byte after the frame length.
public enum FrameType: UInt8, Sendable, CaseIterable {
    /// Connection parameters, a `ConnectionSettings` message; call id 0.
    case settings = 1
    /// Opens a call: header length, `CallHeader` bytes, then the request message.
    case request = 2
    /// One response message of a call.
    case data = 3
    /// Ends a call with a `CallStatus` message.
    case status = 4
    /// The client abandons a call; empty payload.
    case cancel = 5
    /// Liveness probe with 8 opaque bytes, echoed back with the ACK flag; call id 0.
    case ping = 6
    /// The sender accepts no further calls, a `GoAway` message; call id 0.
    case goAway = 7
    /// Grants a server-streaming call more messages: a `u32` count.
    case credit = 8
}

/// Flag bits of the frame flags byte.
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// On REQUEST: the request message is complete and the client sends nothing more on the call.
    public static let endStream = FrameFlags(rawValue: 0x01)
    /// On PING: this frame answers a PING.
    public static let ack = FrameFlags(rawValue: 0x01)
}

/// The fixed 12-byte header in front of every frame.
///
/// Layout, big-endian: `length:u32 | type:u8 | flags:u8 | reserved:u16 | call_id:u32`.
/// `length` counts the payload only, never these 12 bytes.
public struct FrameHeader: Sendable, Hashable {
    /// Size of the encoded header in bytes.
    public static let byteCount = 12

    /// Payload length in bytes.
    public var length: UInt32
    /// Raw type byte; `frameType` is nil when the value is not a known type.
    public var type: UInt8
    public var flags: FrameFlags
    /// Call the frame belongs to; 0 for connection-level frames.
    public var callID: UInt32

    public init(length: UInt32, type: FrameType, flags: FrameFlags = [], callID: UInt32) {
        self.length = length
        self.type = type.rawValue
        self.flags = flags
        self.callID = callID
    }

    init(length: UInt32, rawType: UInt8, flags: FrameFlags, callID: UInt32) {
        self.length = length
        self.type = rawType
        self.flags = flags
        self.callID = callID
    }

    /// Known frame type, or nil for a type byte this version does not define.
    public var frameType: FrameType? {
        FrameType(rawValue: type)
    }
}

/// One decoded frame: its header and payload.
public struct Frame: Sendable, Hashable {
    public var header: FrameHeader
    public var payload: [UInt8]

    public init(header: FrameHeader, payload: [UInt8]) {
        self.header = header
        self.payload = payload
    }
}
