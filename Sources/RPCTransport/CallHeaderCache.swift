import RPCMessages
import Synchronization

/// Encoded headers of unary calls that carry no per-call field, reused from call to call.
///
/// A header without a deadline, an idempotency key or a request id depends only on the method, the
/// authorization and the metadata. These stay the same across most reads and health checks of one client,
/// so such a header is packed once instead of once per call.
final class CallHeaderCache: Sendable {
    private struct Key: Hashable {
        let path: String
        let authorization: String?
        let metadata: [String: String]
    }

    /// Entries kept before the cache starts over. A client calls a few methods with a few credentials.
    static let capacity = 64

    private let entries = Mutex<[Key: [UInt8]]>([:])

    /// Returns the encoded header of a call to `path` with `options`, from the cache when the call has
    /// no per-call field.
    func encodedHeader(path: String, options: CallOptions, deadline: ContinuousClock.Instant?) -> [UInt8] {
        guard deadline == nil, options.idempotencyKey == nil, options.requestID == nil else {
            return RPCClient.callHeader(path: path, options: options, deadline: deadline).serializedBytes()
        }
        let key = Key(path: path, authorization: options.authorization, metadata: options.metadata)
        if let cached = entries.withLock({ $0[key] }) {
            return cached
        }

        let encoded = RPCClient.callHeader(path: path, options: options, deadline: nil).serializedBytes()
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                entries.removeAll()
            }
            entries[key] = encoded
        }
        return encoded
    }
}
