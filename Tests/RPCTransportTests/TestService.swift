import PaymentsLogging
import RPCMessages
import RPCTransport
import Synchronization

/// An error that maps itself to a domain status, as domain errors do.
struct DomainFailure: RPCErrorConvertible {
    var rpcError: RPCError {
        RPCError(
            code: .failedPrecondition, message: "refund exceeds payment", domainCode: "REFUND_EXCEEDS_PAYMENT",
            details: ["refundable_minor_units": "500"])
    }
}

struct UnmappedFailure: Error {}

/// Test methods; the request's `service` field carries the argument.
///
/// - Echo: returns SERVING.
/// - Slow: sleeps `service` milliseconds, then returns SERVING.
/// - Fail: throws per `service`: `domain`, `unmapped`, `unavailable`.
/// - Mirror: returns a request message whose `service` has `service` bytes.
/// - Stream: writes `service` responses.
/// - StallStream: writes until one write waits 200 ms for credit, then fails RESOURCE_EXHAUSTED.
/// - Count: counts calls per idempotency key; the first call of a key fails UNAVAILABLE not processed.
/// - CountThenRefuse: counts calls per idempotency key; the first call of a key fails UNAVAILABLE, possibly
///   processed, and later ones fail UNAVAILABLE not processed.
/// - Gauge: sleeps `service` milliseconds while counting the calls that run at once.
final class TestService: RPCService {
    let counts = Mutex<[String: Int]>([:])
    let cancellations = Atomic<Int>(0)
    /// Gauge calls started, running now, and the maximum that ran at the same time.
    let gaugeStarted = Atomic<Int>(0)
    let gaugeRunning = Atomic<Int>(0)
    let gaugeMaxRunning = Atomic<Int>(0)

    var methods: [RPCServerMethod] {
        [
            .unary(path: "/test.Test/Echo", request: HealthCheckRequest.self, response: HealthCheckResponse.self) {
                _, _ in
                HealthCheckResponse(status: .serving)
            },
            .unary(path: "/test.Test/Slow", request: HealthCheckRequest.self, response: HealthCheckResponse.self) {
                [self] request, context in
                do {
                    try await Task.sleep(for: .milliseconds(Int(request.service) ?? 0))
                } catch {
                    self.cancellations.add(1, ordering: .relaxed)
                    throw error
                }
                return HealthCheckResponse(status: context.isCancelled ? .notServing : .serving)
            },
            .unary(path: "/test.Test/Fail", request: HealthCheckRequest.self, response: HealthCheckResponse.self) {
                request, _ in
                switch request.service {
                case "domain": throw DomainFailure()
                case "unavailable": throw RPCError(code: .unavailable, message: "try later", isRetryable: true)
                default: throw UnmappedFailure()
                }
            },
            .unary(path: "/test.Test/Mirror", request: HealthCheckRequest.self, response: HealthCheckRequest.self) {
                request, _ in
                HealthCheckRequest(service: String(repeating: "m", count: Int(request.service) ?? 0))
            },
            .serverStreaming(
                path: "/test.Test/Stream", request: HealthCheckRequest.self, response: HealthCheckResponse.self
            ) { request, _, writer in
                for _ in 0..<(Int(request.service) ?? 0) {
                    try await writer.write(HealthCheckResponse(status: .serving))
                }
            },
            .serverStreaming(
                path: "/test.Test/StallStream", request: HealthCheckRequest.self, response: HealthCheckResponse.self
            ) { _, _, writer in
                for _ in 0..<1_000 {
                    let written = try await withThrowingTaskGroup(of: Bool.self) { group in
                        group.addTask {
                            try await writer.write(HealthCheckResponse(status: .serving))
                            return true
                        }
                        group.addTask {
                            try await Task.sleep(for: .milliseconds(200))
                            return false
                        }
                        let first = try await group.next() ?? false
                        group.cancelAll()
                        return first
                    }
                    guard written else {
                        throw RPCError(code: .resourceExhausted, message: "the reader stalled")
                    }
                }
            },
            .unary(path: "/test.Test/Count", request: HealthCheckRequest.self, response: HealthCheckResponse.self) {
                [self] _, context in
                let count = self.counts.withLock { counts in
                    counts[context.header.idempotencyKey, default: 0] += 1
                    return counts[context.header.idempotencyKey]!
                }
                if count == 1 {
                    throw RPCError(
                        code: .unavailable, message: "first attempt refused", isRetryable: true, notProcessed: true)
                }
                return HealthCheckResponse(status: .serving)
            },
            .unary(
                path: "/test.Test/CountThenRefuse", request: HealthCheckRequest.self,
                response: HealthCheckResponse.self
            ) { [self] _, context in
                let count = self.counts.withLock { counts in
                    counts[context.header.idempotencyKey, default: 0] += 1
                    return counts[context.header.idempotencyKey]!
                }
                if count == 1 {
                    throw RPCError(code: .unavailable, message: "lost after the change", isRetryable: true)
                }
                throw RPCError(code: .unavailable, message: "refused", isRetryable: true, notProcessed: true)
            },
            .unary(path: "/test.Test/Gauge", request: HealthCheckRequest.self, response: HealthCheckResponse.self) {
                [self] request, _ in
                self.gaugeStarted.add(1, ordering: .relaxed)
                let running = self.gaugeRunning.add(1, ordering: .relaxed).newValue
                self.gaugeMaxRunning.max(running, ordering: .relaxed)
                defer { self.gaugeRunning.subtract(1, ordering: .relaxed) }
                try await Task.sleep(for: .milliseconds(Int(request.service) ?? 0))
                return HealthCheckResponse(status: .serving)
            },
        ]
    }
}

/// Starts a server with `TestService` on 127.0.0.1 and an ephemeral port.
func startTestServer(
    _ configure: (inout RPCServerConfiguration) -> Void = { _ in }, service: TestService = TestService()
) throws -> (RPCServer, Int) {
    var configuration = RPCServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 2)
    configure(&configuration)
    let server = RPCServer(
        configuration: configuration, services: [service], logger: Logger(label: "rpc.test", level: .critical))
    let address = try server.start()
    return (server, address.port)
}

/// Stops a server and waits for its loops to end.
func stop(_ server: RPCServer) async {
    server.stopNow()
    await server.waitUntilStopped()
}
