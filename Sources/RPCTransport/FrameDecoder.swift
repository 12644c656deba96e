/// Splits a byte stream into frames without doing any I/O.
///
/// Feed bytes with `append(_:)` as they arrive, then call `next()` until it
/// returns nil. The decoder waits for a whole 12-byte header, checks the
/// length against `maxFrameSize` before it keeps any payload byte, and never
/// traps on a value read from the wire.
///
/// A frame longer than `maxBufferedPayloadSize` but within `maxFrameSize` is
/// not kept in memory. `next()` reports its header as `.skipped`, and the
/// decoder drops its payload as it arrives. The receiver can then fail that
/// one call and keep the connection.
public struct FrameDecoder: Sendable {
    /// A result of `next()`.
    public enum Output: Sendable, Hashable {
        /// A complete frame.
        case frame(Frame)
        /// A frame whose payload is too large to keep; its payload is being discarded.
        case skipped(FrameHeader)
    }

    /// Largest payload accepted at all; a longer frame is a protocol error.
    public var maxFrameSize: UInt32
    /// Largest payload kept in memory; must not exceed `maxFrameSize`.
    public var maxBufferedPayloadSize: UInt32

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var skipRemaining = 0

    public init(maxFrameSize: UInt32, maxBufferedPayloadSize: UInt32? = nil) {
        self.maxFrameSize = maxFrameSize
        self.maxBufferedPayloadSize = min(maxBufferedPayloadSize ?? maxFrameSize, maxFrameSize)
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int {
        buffer.count - readIndex
    }

    /// Appends received bytes.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var bytes = bytes
        if skipRemaining > 0 {
            let dropped = min(skipRemaining, bytes.count)
            skipRemaining -= dropped
            bytes = UnsafeRawBufferPointer(rebasing: bytes[dropped...])
        }
        guard !bytes.isEmpty else {
            return
        }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Appends received bytes from an array.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Returns the next complete frame, or nil when more bytes are needed.
    ///
    /// - Throws: `RPCTransportError` with code `frameTooLarge` when a header
    ///   announces more than `maxFrameSize` bytes. The stream cannot be
    ///   resynchronized after that, so the caller closes the connection.
    public mutating func next() throws(RPCTransportError) -> Output? {
        guard bufferedByteCount >= FrameHeader.byteCount else {
            return nil
        }
        let header = readHeader(at: readIndex)
        guard header.length <= maxFrameSize else {
            throw RPCTransportError(
                .frameTooLarge,
                "frame of \(header.length) bytes exceeds the limit of \(maxFrameSize) bytes; "
                    + "split the message or raise maxFrameSize on both sides")
        }
        let length = Int(header.length)

        if header.length > maxBufferedPayloadSize {
            let available = min(bufferedByteCount - FrameHeader.byteCount, length)
            readIndex += FrameHeader.byteCount + available
            skipRemaining = length - available
            compact()
            return .skipped(header)
        }

        guard bufferedByteCount - FrameHeader.byteCount >= length else {
            return nil
        }
        let start = readIndex + FrameHeader.byteCount
        let payload = Array(buffer[start..<(start + length)])
        readIndex = start + length
        compact()
        return .frame(Frame(header: header, payload: payload))
    }

    /// Frees the receive buffer when it holds no bytes, so that an idle connection keeps no buffer.
    public mutating func releaseBufferIfEmpty() {
        if bufferedByteCount == 0 && buffer.capacity > 0 {
            buffer = []
            readIndex = 0
        }
    }

    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex > 4096 && readIndex * 2 > buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    private func readHeader(at index: Int) -> FrameHeader {
        FrameHeader(
            length: BigEndian.readUInt32(buffer, at: index),
            rawType: buffer[index + 4],
            flags: FrameFlags(rawValue: buffer[index + 5]),
            callID: BigEndian.readUInt32(buffer, at: index + 8))
    }
}

/// Big-endian integer reads and writes on byte arrays.
enum BigEndian {
    static func readUInt32(_ bytes: [UInt8], at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 8 | UInt32(bytes[index + offset])
        }
        return value
    }

    static func readUInt32(_ bytes: ArraySlice<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 8 | UInt32(bytes[index + offset])
        }
        return value
    }

    static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
