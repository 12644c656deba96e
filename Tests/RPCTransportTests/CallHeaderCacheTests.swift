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

    @Test("per-call fields skip the cache")
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
