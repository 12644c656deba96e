import RPCMessages
import Testing

@testable import RPCTransport

@Suite("Call header cache")
struct CallHeaderCacheTests {
    private let path = "/test.v1.Test/Echo"

    @Test("cached header decodes intact")
    func cachedHeaderDecodes() throws {
        let cache = CallHeaderCache()
        let options = CallOptions(authorization: "Bearer a", metadata: ["tenant": "es", "zone": "1"])

        let first = cache.encodedHeader(path: path, options: options, deadline: nil)
        let second = cache.encodedHeader(path: path, options: options, deadline: nil)

        #expect(first == second)
        let header = try CallHeader(serializedBytes: second)
        #expect(header.method == path)
        #expect(header.authorization == "Bearer a")
        #expect(header.metadata.map { "\($0.key)=\($0.value)" } == ["tenant=es", "zone=1"])
        #expect(header.timeoutMicros == 0)
    }

    @Test("each method and credential keyed")
    func keyedByEveryField() throws {
        let cache = CallHeaderCache()
        let base = CallOptions(authorization: "Bearer a")
        _ = cache.encodedHeader(path: path, options: base, deadline: nil)

        let otherToken = try CallHeader(
            serializedBytes: cache.encodedHeader(
                path: path, options: CallOptions(authorization: "Bearer b"), deadline: nil))
        let otherPath = try CallHeader(
            serializedBytes: cache.encodedHeader(path: "/test.v1.Test/Other", options: base, deadline: nil))
        let otherMetadata = try CallHeader(
            serializedBytes: cache.encodedHeader(
                path: path, options: CallOptions(authorization: "Bearer a", metadata: ["k": "v"]), deadline: nil))

        #expect(otherToken.authorization == "Bearer b")
        #expect(otherPath.method == "/test.v1.Test/Other")
        #expect(otherMetadata.metadata.count == 1)
    }

    @Test("per-call fields vary per call")
    func perCallFields() throws {
        let cache = CallHeaderCache()
        let keyed = try CallHeader(
            serializedBytes: cache.encodedHeader(path: path, options: CallOptions(idempotencyKey: "k1"), deadline: nil))
        let otherKey = try CallHeader(
            serializedBytes: cache.encodedHeader(path: path, options: CallOptions(idempotencyKey: "k2"), deadline: nil))
        let withID = try CallHeader(
            serializedBytes: cache.encodedHeader(path: path, options: CallOptions(requestID: "r-7"), deadline: nil))
        let timed = try CallHeader(
            serializedBytes: cache.encodedHeader(path: path, options: CallOptions(), deadline: .now + .seconds(30)))

        #expect(keyed.idempotencyKey == "k1")
        #expect(otherKey.idempotencyKey == "k2")
        #expect(withID.requestID == "r-7")
        #expect(timed.timeoutMicros > 20_000_000)
        #expect(timed.timeoutMicros <= 30_000_000)
    }

    /// Appending the per-call fields to the cached ones must decode to the header that packing every field
    /// at once gives, including a key long enough for a two-byte length.
    @Test("appended fields match full packing")
    func appendedFieldsMatch() throws {
        let cache = CallHeaderCache()
        let longKey = String(repeating: "k", count: 300)
        let cases: [CallOptions] = [
            CallOptions(authorization: "Bearer a", idempotencyKey: "k1"),
            CallOptions(authorization: "Bearer a", idempotencyKey: longKey, requestID: "r-1"),
            CallOptions(authorization: "Bearer a", idempotencyKey: "", requestID: "r-2", metadata: ["tenant": "es"]),
            CallOptions(idempotencyKey: "café-✓"),
        ]
        for options in cases {
            let appended = try CallHeader(
                serializedBytes: cache.encodedHeader(path: path, options: options, deadline: nil))
            let packed = try CallHeader(
                serializedBytes: RPCClient.callHeader(path: path, options: options, deadline: nil).serializedBytes())
            #expect(appended == packed)
        }

        let timed = try CallHeader(
            serializedBytes: cache.encodedHeader(
                path: path, options: CallOptions(authorization: "Bearer a", idempotencyKey: "k3"),
                deadline: .now + .seconds(3000)))
        #expect(timed.authorization == "Bearer a")
        #expect(timed.idempotencyKey == "k3")
        #expect(timed.timeoutMicros > 2_000_000_000)
        #expect(timed.timeoutMicros <= 3_000_000_000)
    }

    @Test("full cache starts over")
    func capacity() throws {
        let cache = CallHeaderCache()
        for index in 0..<(CallHeaderCache.capacity * 2 + 3) {
            let options = CallOptions(authorization: "Bearer \(index)")
            let header = try CallHeader(
                serializedBytes: cache.encodedHeader(path: path, options: options, deadline: nil))
            #expect(header.authorization == "Bearer \(index)")
        }
    }
}
