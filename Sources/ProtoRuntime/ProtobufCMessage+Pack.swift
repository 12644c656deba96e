internal import CProtobufC

#if canImport(Glibc)
    import Glibc
#endif

/// Packs a filled protobuf-c message into wire bytes.
///
/// `message` must point at a protobuf-c message struct whose first member is
/// its `ProtobufCMessage` base, as every generated struct has.
public func packProtobufCMessage(_ message: UnsafeRawPointer) -> [UInt8] {
    let base = message.assumingMemoryBound(to: ProtobufCMessage.self)
    let size = protobuf_c_message_get_packed_size(base)
    guard size > 0 else {
        return []
    }
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
        initializedCount = protobuf_c_message_pack(base, buffer.baseAddress)
    }
}

/// Reads a C string that protobuf-c owns into a Swift string.
///
/// Invalid UTF-8 is repaired with replacement characters, never trapped on.
public func stringFromProtobufC(_ pointer: UnsafePointer<CChar>?) -> String {
    guard let pointer else {
        return ""
    }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
}
