import RPCMessages
import Synchronization

/// Encoded call headers, with the fields that stay the same from call to call packed once.
///
/// The method, the authorization and the metadata stay the same across most calls of one client, so their
/// encoding is cached. The per-call fields (deadline, idempotency key, request id) are appended to a copy of it
/// as protobuf fields. A protobuf parser reads fields in any order, so the result decodes to the same header
/// as packing every field at once.
final class CallHeaderCache: Sendable {
    private struct Key: Hashable {
        let path: String
        let authorization: String?
        let metadata: [String: String]
    }

    /// Entries kept before the cache starts over. A client calls a few methods with a few credentials.
    static let capacity = 64

    private let entries = Mutex<[Key: [UInt8]]>([:])

    /// Returns the encoded header of a call to `path` with `options`.
    func encodedHeader(path: String, options: CallOptions, deadline: ContinuousClock.Instant?) -> [UInt8] {
        var encoded = sharedFields(path: path, options: options)
        if let deadline {
            encoded.reserveCapacity(encoded.count + 11)
            Self.appendTimeout(RPCClient.timeoutMicros(until: deadline), to: &encoded)
        }
        if let key = options.idempotencyKey, !key.isEmpty {
            Self.appendString(key, fieldNumber: 4, to: &encoded)
        }
        if let requestID = options.requestID, !requestID.isEmpty {
            Self.appendString(requestID, fieldNumber: 5, to: &encoded)
        }
        return encoded
    }

    /// Returns the encoded header without the per-call fields, packed on the first call with these values.
    private func sharedFields(path: String, options: CallOptions) -> [UInt8] {
        let key = Key(path: path, authorization: options.authorization, metadata: options.metadata)
        if let cached = entries.withLock({ $0[key] }) {
            return cached
        }

        var shared = options
        shared.idempotencyKey = nil
        shared.requestID = nil
        let encoded = RPCClient.callHeader(path: path, options: shared, deadline: nil).serializedBytes()
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                entries.removeAll()
            }
            entries[key] = encoded
        }
        return encoded
    }

    /// Appends `timeout_micros` (field 2) as a varint field.
    private static func appendTimeout(_ micros: UInt64, to bytes: inout [UInt8]) {
        bytes.append(2 << 3)
        appendVarint(micros, to: &bytes)
    }

    /// Appends a string field: its key with wire type 2 (length-delimited), the length and the UTF-8 bytes.
    private static func appendString(_ value: String, fieldNumber: UInt8, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { utf8 in
            bytes.reserveCapacity(bytes.count + 1 + 10 + utf8.count)
            bytes.append(fieldNumber << 3 | 2)
            appendVarint(UInt64(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }
}
