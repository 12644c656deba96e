import Foundation
import PaymentsLogging
import RPCMessages
import Synchronization
import TestSupport
import Testing

@testable import RPCTransport

@Suite("RPC client", .serialized)
struct RPCClientTests {
    private func makeClient(port: Int, _ configure: (inout RPCClientConfiguration) -> Void = { _ in }) -> RPCClient {
        var configuration = RPCClientConfiguration(host: "127.0.0.1", port: port)
        configure(&configuration)
        return RPCClient(configuration: configuration)
    }

    private func call(
        _ client: RPCClient, _ method: String, _ argument: String = "", options: CallOptions = CallOptions(),
        safeToRetry: Bool = false
    ) async throws -> HealthCheckResponse {
        try await client.unary(
            path: "/test.Test/\(method)", request: HealthCheckRequest(service: argument),
            responseType: HealthCheckResponse.self, options: options, safeToRetry: safeToRetry)
    }

    private func rpcError<Value>(_ body: () async throws -> Value) async -> RPCError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? RPCError
        }
    }

    @Test("unary call returns the response")
    func unaryCall() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port)
        #expect(try await call(client, "Echo").status == .serving)
        await client.close()
        await stop(server)
    }

    @Test("concurrent calls share one connection")
    func concurrentCalls() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port)
        let results = try await withThrowingTaskGroup(of: ServingStatus.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await call(client, index.isMultiple(of: 2) ? "Echo" : "Slow", "5").status
                }
            }
            return try await group.reduce(into: [ServingStatus]()) { $0.append($1) }
        }
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0 == .serving })
        #expect(server.statistics.acceptedConnections == 1)
        await client.close()
        await stop(server)
    }

    @Test("calls on client event loop")
    func eventLoopExecutor() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port)

        // The first call connects from the loop's executor: the connect must not hold the loop thread.
        let (statuses, expired) = try await withTaskExecutorPreference(client.eventLoopExecutor) {
            var statuses: [ServingStatus] = []
            for _ in 0..<100 {
                statuses.append(try await call(client, "Echo").status)
            }
            let expired = await rpcError {
                try await call(client, "Slow", "5000", options: CallOptions(timeout: .milliseconds(100)))
            }
            return (statuses, expired)
        }

        #expect(statuses == Array(repeating: .serving, count: 100))
        #expect(expired?.code == .deadlineExceeded)
        await client.close()
        await stop(server)
    }

    @Test("calls on a dedicated event loop")
    func dedicatedEventLoop() async throws {
        let (server, port) = try startTestServer()
        let loop = try ClientEventLoop(name: "test-client-loop")
        let client = makeClient(port: port) { $0.eventLoop = loop }

        let (statuses, onLoop) = try await withTaskExecutorPreference(client.eventLoopExecutor) {
            var statuses: [ServingStatus] = []
            for _ in 0..<50 {
                statuses.append(try await call(client, "Echo").status)
            }
            return (statuses, loop.loop.inLoopThread)
        }

        #expect(statuses == Array(repeating: .serving, count: 50))
        #expect(onLoop)
        #expect(!ClientEventLoop.shared.loop.inLoopThread)
        await client.close()
        loop.stop()
        await stop(server)
    }

    @Test("stopped event loop fails calls")
    func stoppedEventLoop() async throws {
        let (server, port) = try startTestServer()
        let loop = try ClientEventLoop(name: "test-client-loop")
        let connected = makeClient(port: port) { $0.eventLoop = loop }
        #expect(try await call(connected, "Echo").status == .serving)

        let pending = Task { await rpcError { try await call(connected, "Slow", "5000") } }
        try await Task.sleep(for: .milliseconds(100))
        loop.stop()
        let pendingError = await pending.value
        let later = makeClient(port: port) { $0.eventLoop = loop }
        let laterError = await rpcError { try await call(later, "Echo") }

        #expect(pendingError?.code == .unavailable)
        #expect(pendingError?.message.contains("event loop was stopped") == true, "\(String(describing: pendingError))")
        #expect(laterError?.code == .unavailable)
        #expect(laterError?.notProcessed == true)
        await connected.close()
        await later.close()
        await stop(server)
    }

    @Test("handler errors map to statuses")
    func errorMapping() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port)
        let domain = await rpcError { try await call(client, "Fail", "domain") }
        #expect(domain?.code == .failedPrecondition)
        #expect(domain?.domainCode == "REFUND_EXCEEDS_PAYMENT")
        #expect(domain?.details == ["refundable_minor_units": "500"])
        let unmapped = await rpcError { try await call(client, "Fail", "unmapped") }
        #expect(unmapped?.code == .internal)
        #expect(unmapped?.message.contains("UnmappedFailure") == false)
        let unknown = await rpcError { try await call(client, "Missing") }
        #expect(unknown?.code == .unimplemented)
        #expect(unknown?.notProcessed == true)
        await client.close()
        await stop(server)
    }

    @Test("deadline fails the call and cancels the handler")
    func deadline() async throws {
        let service = TestService()
        let (server, port) = try startTestServer(service: service)
        let client = makeClient(port: port)
        let error = await rpcError {
            try await call(client, "Slow", "5000", options: CallOptions(timeout: .milliseconds(100)))
        }
        #expect(error?.code == .deadlineExceeded)
        for _ in 0..<50 where service.cancellations.load(ordering: .relaxed) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(service.cancellations.load(ordering: .relaxed) == 1)
        #expect(try await call(client, "Echo").status == .serving)
        await client.close()
        await stop(server)
    }

    @Test("concurrent deadlines expire separately")
    func concurrentDeadlines() async throws {
        let (server, port) = try startTestServer(service: TestService())
        let client = makeClient(port: port)
        // Calls that returned in time leave their deadlines behind, and those must expire without effect.
        for _ in 0..<200 {
            _ = try await call(client, "Echo", options: CallOptions(timeout: .milliseconds(300)))
        }

        async let late = rpcError {
            try await call(client, "Slow", "5000", options: CallOptions(timeout: .milliseconds(300)))
        }
        async let later = rpcError {
            try await call(client, "Slow", "5000", options: CallOptions(timeout: .milliseconds(600)))
        }
        async let inTime = rpcError {
            try await call(client, "Slow", "50", options: CallOptions(timeout: .seconds(5)))
        }
        async let noDeadline = rpcError { try await call(client, "Slow", "700") }
        let results = await (late, later, inTime, noDeadline)

        #expect(results.0?.code == .deadlineExceeded)
        #expect(results.1?.code == .deadlineExceeded)
        #expect(results.2 == nil)
        #expect(results.3 == nil)
        await client.close()
        await stop(server)
    }

    @Test("cancelling the task cancels the call")
    func taskCancellation() async throws {
        let service = TestService()
        let (server, port) = try startTestServer(service: service)
        let client = makeClient(port: port)
        let task = Task { try await call(client, "Slow", "5000") }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let error = await rpcError { try await task.value }
        #expect(error?.code == .cancelled)
        for _ in 0..<50 where service.cancellations.load(ordering: .relaxed) == 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(service.cancellations.load(ordering: .relaxed) == 1)
        await client.close()
        await stop(server)
    }

    @Test("server stream delivers every message past the credit window")
    func serverStreaming() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port) { $0.initialStreamCredit = 8 }
        let stream = client.serverStreaming(
            path: "/test.Test/Stream", request: HealthCheckRequest(service: "500"),
            responseType: HealthCheckResponse.self, options: CallOptions())
        var count = 0
        for try await response in stream {
            #expect(response.status == .serving)
            count += 1
        }
        #expect(count == 500)
        await client.close()
        await stop(server)
    }

    @Test("stream stopped early sends CANCEL")
    func streamStoppedEarly() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port) { $0.initialStreamCredit = 4 }
        let stream = client.serverStreaming(
            path: "/test.Test/Stream", request: HealthCheckRequest(service: "1000000"),
            responseType: HealthCheckResponse.self, options: CallOptions())
        var count = 0
        for try await _ in stream {
            count += 1
            if count == 10 {
                break
            }
        }
        #expect(count == 10)
        for _ in 0..<50 where server.statistics.callsStarted > 1 || client.pendingCallCount > 0 {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(client.pendingCallCount == 0)
        #expect(try await call(client, "Echo").status == .serving)
        await client.close()
        await stop(server)
    }

    @Test("stream past its deadline fails")
    func streamDeadline() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port) { $0.initialStreamCredit = 2 }
        let stream = client.serverStreaming(
            path: "/test.Test/Stream", request: HealthCheckRequest(service: "1000000"),
            responseType: HealthCheckResponse.self, options: CallOptions(timeout: .milliseconds(200)))
        var failure: RPCError?
        do {
            for try await _ in stream {
                try await Task.sleep(for: .milliseconds(50))
            }
        } catch {
            failure = error as? RPCError
        }
        #expect(failure?.code == .deadlineExceeded)
        await client.close()
        await stop(server)
    }

    @Test("handler that times out a write ends the stream with its status")
    func stalledStreamStatus() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port) { $0.initialStreamCredit = 2 }
        let stream = client.serverStreaming(
            path: "/test.Test/StallStream", request: HealthCheckRequest(),
            responseType: HealthCheckResponse.self, options: CallOptions())
        var iterator = stream.makeAsyncIterator()
        #expect(try await iterator.next() != nil)
        try await Task.sleep(for: .milliseconds(600))
        var failure: RPCError?
        do {
            while try await iterator.next() != nil {}
        } catch {
            failure = error as? RPCError
        }
        #expect(failure?.code == .resourceExhausted)
        await client.close()
        await stop(server)
    }

    @Test("calls above the server limit queue")
    func callsAboveLimitQueue() async throws {
        let service = TestService()
        let (server, port) = try startTestServer({ $0.maxConcurrentCallsPerConnection = 2 }, service: service)
        // Without retries, a rejected call would fail the test instead of succeeding on a later attempt.
        let client = makeClient(port: port) { $0.retryPolicy.maxAttempts = 1 }

        // The calls start before the connection exists, so they also wait for the server's SETTINGS.
        let statuses = try await withThrowingTaskGroup(of: ServingStatus.self) { group in
            for _ in 0..<20 {
                group.addTask { try await self.call(client, "Gauge", "20").status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await client.close()
        await stop(server)

        #expect(statuses == Array(repeating: ServingStatus.serving, count: 20))
        #expect(service.gaugeStarted.load(ordering: .relaxed) == 20)
        #expect(service.gaugeMaxRunning.load(ordering: .relaxed) == 2)
    }

    @Test("client reads the announced limit")
    func announcedLimit() async throws {
        let (server, port) = try startTestServer { $0.maxConcurrentCallsPerConnection = 3 }
        let client = makeClient(port: port)

        let before = client.serverMaxConcurrentCalls
        _ = try await call(client, "Echo")
        let after = client.serverMaxConcurrentCalls
        await client.close()
        await stop(server)

        #expect(before == nil)
        #expect(after == 3)
    }

    @Test("queued call past its deadline is never sent")
    func queuedCallDeadline() async throws {
        let service = TestService()
        let (server, port) = try startTestServer({ $0.maxConcurrentCallsPerConnection = 1 }, service: service)
        let client = makeClient(port: port)
        _ = try await call(client, "Echo")

        let first = Task { try await self.call(client, "Gauge", "400") }
        try await Task.sleep(for: .milliseconds(50))
        let expired = await rpcError {
            try await self.call(client, "Gauge", "0", options: CallOptions(timeout: .milliseconds(50)))
        }
        let firstStatus = try await first.value.status
        let later = try await call(client, "Gauge", "0")
        await client.close()
        await stop(server)

        #expect(expired?.code == .deadlineExceeded)
        #expect(firstStatus == .serving)
        #expect(later.status == .serving)
        #expect(service.gaugeStarted.load(ordering: .relaxed) == 2)
    }

    @Test("cancelled queued call is never sent")
    func queuedCallCancelled() async throws {
        let service = TestService()
        let (server, port) = try startTestServer({ $0.maxConcurrentCallsPerConnection = 1 }, service: service)
        let client = makeClient(port: port)
        _ = try await call(client, "Echo")

        let first = Task { try await self.call(client, "Gauge", "400") }
        try await Task.sleep(for: .milliseconds(50))
        let queued = Task { try await self.call(client, "Gauge", "0") }
        try await Task.sleep(for: .milliseconds(50))
        queued.cancel()
        let cancelled = await rpcError { try await queued.value }
        let firstStatus = try await first.value.status
        let later = try await call(client, "Gauge", "0")
        await client.close()
        await stop(server)

        #expect(cancelled?.code == .cancelled)
        #expect(firstStatus == .serving)
        #expect(later.status == .serving)
        #expect(service.gaugeStarted.load(ordering: .relaxed) == 2)
    }

    @Test("idempotency keys are URL-safe and distinct")
    func idempotencyKeys() {
        let keys = (0..<1000).map { _ in RPCClient.makeIdempotencyKey() }
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

        #expect(keys.allSatisfy { $0.count == 22 })
        #expect(keys.allSatisfy { $0.allSatisfy(alphabet.contains) })
        #expect(Set(keys).count == keys.count)
    }

    @Test("retry reuses the idempotency key")
    func retryWithSameKey() async throws {
        let service = TestService()
        let (server, port) = try startTestServer(service: service)
        let client = makeClient(port: port)
        let key = RPCClient.makeIdempotencyKey()
        #expect(key.count == 22)
        let response = try await call(client, "Count", options: CallOptions(idempotencyKey: key), safeToRetry: true)
        #expect(response.status == .serving)
        #expect(service.counts.withLock { $0 } == [key: 2])
        await client.close()
        await stop(server)
    }

    @Test("retries keep an earlier attempt's unknown outcome")
    func retryKeepsUnknownOutcome() async throws {
        let service = TestService()
        let (server, port) = try startTestServer(service: service)
        let client = makeClient(port: port)
        let key = RPCClient.makeIdempotencyKey()

        let error = await rpcError {
            try await call(client, "CountThenRefuse", options: CallOptions(idempotencyKey: key), safeToRetry: true)
        }

        #expect(error?.code == .unavailable)
        #expect(error?.message == "refused")
        #expect(error?.notProcessed == false)
        #expect((service.counts.withLock { $0[key] } ?? 0) > 1)
        await client.close()
        await stop(server)
    }

    @Test("unavailable without safeToRetry is not retried")
    func noRetryWhenUnsafe() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port)
        let error = await rpcError { try await call(client, "Fail", "unavailable") }
        #expect(error?.code == .unavailable)
        #expect(server.statistics.callsStarted == 1)
        await client.close()
        await stop(server)
    }

    @Test("client reconnects after the server restarts on the port")
    func reconnect() async throws {
        let (first, port) = try startTestServer()
        let client = makeClient(port: port)
        #expect(try await call(client, "Echo").status == .serving)
        await stop(first)
        let second = try await restartTestServer(port: port)
        #expect(try await call(client, "Echo", safeToRetry: true).status == .serving)
        await client.close()
        await stop(second)
    }

    /// Starts a server on `port` again, retrying for up to 2 s: tests running in parallel open connections
    /// from ephemeral ports, and one of them may hold the freed port for a moment.
    private func restartTestServer(port: Int) async throws -> RPCServer {
        let deadline = ContinuousClock.now + .seconds(2)
        while true {
            do {
                return try startTestServer { $0.port = port }.0
            } catch is RPCTransportError where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test("graceful drain finishes open calls and refuses new ones")
    func gracefulDrain() async throws {
        let (server, port) = try startTestServer()
        let client = makeClient(port: port) { $0.retryPolicy.maxAttempts = 1 }
        #expect(try await call(client, "Echo").status == .serving)
        let slow = Task { try await call(client, "Slow", "300") }
        try await Task.sleep(for: .milliseconds(50))
        server.beginGracefulShutdown()
        #expect(try await slow.value.status == .serving)
        let refused = await rpcError { try await call(client, "Echo") }
        #expect(refused?.code == .unavailable)
        #expect(refused?.notProcessed == true)
        await server.waitUntilStopped()
        await client.close()
    }

    @Test("expired drain logs and ends calls")
    func drainTimeoutExpires() async throws {
        let sink = LogSink.memory()
        var configuration = RPCServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1)
        configuration.drainTimeout = .milliseconds(200)
        let server = RPCServer(
            configuration: configuration, services: [TestService()],
            logger: Logger(label: "rpc.test", level: .warning, sink: sink))
        let port = try server.start().port
        let client = makeClient(port: port) { $0.retryPolicy.maxAttempts = 1 }
        let slow = Task { await rpcError { try await call(client, "Slow", "10000") } }
        try await Task.sleep(for: .milliseconds(100))

        server.beginGracefulShutdown()
        await server.waitUntilStopped()

        let error = await slow.value
        #expect(error?.code == .unavailable)
        let lines = sink.capturedLines.filter { $0.contains("drain timeout expired") }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("rpc.open_calls=1") == true)
        #expect(lines.first?.contains("rpc.open_connections=1") == true)
        await client.close()
    }

    @Test("killed server fails 20 pending calls within a second")
    func killedServer() async throws {
        let process = Process()
        process.executableURL = try testServerExecutable()
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // SIGKILL without a wait when the test throws early; Foundation reaps the child on its own thread.
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
        }
        let outputHandle = output.fileHandleForReading
        let line = try #require(await runOnDedicatedThread { Self.readLine(from: outputHandle) })
        let port = try #require(Int(line.replacingOccurrences(of: "port=", with: "")))

        let client = makeClient(port: port) { $0.retryPolicy.maxAttempts = 1 }
        #expect(try await call(client, "Echo").status == .serving)
        try await withThrowingTaskGroup(of: (RPCError?, ContinuousClock.Instant).self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let error = await rpcError { try await call(client, "Slow", "30000") }
                    return (error, .now)
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            let killedAt = ContinuousClock.now
            kill(process.processIdentifier, SIGKILL)
            var results: [(RPCError?, ContinuousClock.Instant)] = []
            for try await result in group {
                results.append(result)
            }
            #expect(results.count == 20)
            for (error, failedAt) in results {
                #expect(error?.code == .unavailable)
                #expect(failedAt - killedAt < .seconds(1))
            }
        }
        await client.close()
        await runOnDedicatedThread { [process] in process.waitUntilExit() }
    }

    private static func readLine(from handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first else {
                return nil
            }
            if byte == UInt8(ascii: "\n") {
                return String(decoding: bytes, as: UTF8.self)
            }
            bytes.append(byte)
        }
    }
}

/// Path of the rpc-test-server executable built next to the test bundle.
func testServerExecutable() throws -> URL {
    let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
        bundleDirectory.appendingPathComponent("rpc-test-server"),
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(
            ".build/debug/rpc-test-server"),
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw RawConnectionError.failed("rpc-test-server not found; run swift build --product rpc-test-server")
    }
    return found
}
