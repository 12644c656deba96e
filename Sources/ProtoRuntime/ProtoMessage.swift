/// A Protocol Buffers message with a Swift value representation.
///
/// Generated message types conform to this protocol. Encoding and decoding go
/// through the protobuf-c structs of the same message, and every C allocation
/// made on the way is freed before the call returns.
public protocol ProtoMessage: Sendable, Equatable {
    /// Decodes a message from its wire bytes.
    ///
    /// - Throws: `ProtoDecodingError` when the bytes are not a valid encoding
    ///   of this message. Invalid input never traps.
    init(serializedBytes bytes: [UInt8]) throws(ProtoDecodingError)

    /// Encodes the message to its wire bytes.
    func serializedBytes() -> [UInt8]

    /// Full Protocol Buffers name, for example `payments.v1.Payment`.
    static var protoMessageName: String { get }
}

/// An error thrown when bytes do not decode as the expected message.
public struct ProtoDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Full Protocol Buffers name of the message that failed to decode.
    public var messageName: String
    /// Number of bytes given to the decoder.
    public var byteCount: Int

    public init(messageName: String, byteCount: Int) {
        self.messageName = messageName
        self.byteCount = byteCount
    }

    public var description: String {
        "invalid \(messageName) encoding (\(byteCount) bytes): the bytes are not a valid Protocol Buffers message of this type"
    }
}
