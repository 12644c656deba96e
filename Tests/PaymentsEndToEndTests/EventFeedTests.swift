import Foundation
import PaymentsMessages
import PaymentsRPC
import RPCTransport
import Testing

@Suite("Event feed over WatchEvents", .serialized)
struct EventFeedTests {
    @Test("watcher sees every event of concurrent writers", arguments: StoreKind.available)
    func concurrentWriters(kind: StoreKind) async throws {
        let deployment = try await TestDeployment(kind: kind)
        let client = makeClient(port: deployment.server.port, token: deployment.token)
        let prefix = uniqueOrderID("feed")
        let start = try await client.listPayments(ListPaymentsRequest(orderID: prefix))
        #expect(start.payments.isEmpty)

        // The watcher starts at the live end, before any of this test's writes.
        let stream = client.watchEvents(WatchEventsRequest(startFrom: .liveEnd))
        let writers = 6
        let paymentsPerWriter = 15
        let expected = writers * paymentsPerWriter * 2
        let watcher = Task {
            var seen: [Event] = []
            for try await event in stream where event.orderID.hasPrefix(prefix) {
                seen.append(event)
                if seen.count == expected {
                    break
                }
            }
            return seen
        }
        try await Task.sleep(for: .milliseconds(200))

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for index in 0..<paymentsPerWriter {
                        let registered = try await client.registerPayment(
                            cashPayment(order: "\(prefix)_\(writer)_\(index)", amountMinorUnits: 500))
                        let payment = try #require(registered.payment)
                        _ = try await client.confirmPayment(
                            ConfirmPaymentRequest(orderID: payment.orderID, paymentID: payment.paymentID))
                    }
                }
            }
            try await group.waitForAll()
        }
        let seen = try await watcher.value

        // Compare with a fresh read of the outbox from the beginning.
        var outbox: [Event] = []
        for try await event in client.watchEvents(WatchEventsRequest(startFrom: .beginning))
        where event.orderID.hasPrefix(prefix) {
            outbox.append(event)
            if outbox.count == expected {
                break
            }
        }
        #expect(seen.count == expected)
        #expect(Set(seen.map(\.eventID)) == Set(outbox.map(\.eventID)))
        let positions = seen.map(\.position)
        #expect(positions == positions.sorted())
        #expect(Set(positions).count == positions.count)
        await client.client.close()
        await deployment.server.stop()
    }

    @Test("two servers on one PostgreSQL share the feed")
    func twoServers() async throws {
        guard StoreKind.available.contains(.postgres) else {
            return
        }
        let first = try await TestDeployment(kind: .postgres)
        let second = try await ServerProcess(
            directory: first.directory, arguments: ["--store", first.store, "--development-tokens", "var"])
        let writer = makeClient(port: first.server.port, token: first.token)
        let watcher = makeClient(port: second.port, token: first.token)
        let order = uniqueOrderID("shared")

        // From the beginning, filtered by this test's order: the event arrives however late the watch starts.
        let stream = watcher.watchEvents(WatchEventsRequest(startFrom: .beginning, orderID: order))
        let received = Task { () async throws -> Event? in
            for try await event in stream {
                return event
            }
            return nil
        }
        try await Task.sleep(for: .milliseconds(300))
        let registered = try await writer.registerPayment(cashPayment(order: order, amountMinorUnits: 700))

        let event = try await received.value
        #expect(event?.paymentID == registered.payment?.paymentID)
        #expect(event?.type == "order.payment.pending")
        #expect(event?.amountMinorUnits == 700)
        await writer.client.close()
        await watcher.client.close()
        await second.stop()
        await first.server.stop()
    }

    @Test("stalled watcher ends with a resume position", arguments: StoreKind.available)
    func stalledWatcher(kind: StoreKind) async throws {
        let deployment = try await TestDeployment(kind: kind, extraArguments: ["--watch-stall-timeout", "1s"])
        let writer = makeClient(port: deployment.server.port, token: deployment.token)
        let order = uniqueOrderID("stall")
        for _ in 0..<30 {
            _ = try await writer.registerPayment(cashPayment(order: order, amountMinorUnits: 100))
        }

        let configuration = RPCClientConfiguration(
            port: deployment.server.port, initialStreamCredit: 4,
            defaultOptions: CallOptions(authorization: "Bearer \(deployment.token)"))
        let slow = PaymentServiceClient(client: RPCClient(configuration: configuration))
        var iterator = slow.watchEvents(WatchEventsRequest(startFrom: .beginning, orderID: order)).makeAsyncIterator()
        let firstEvent = try await iterator.next()
        #expect(firstEvent != nil)
        // Stop reading for longer than the stall timeout, then drain what was buffered.
        try await Task.sleep(for: .seconds(3))
        var delivered = [try #require(firstEvent)]
        var ending: RPCError?
        do {
            while let event = try await iterator.next() {
                delivered.append(event)
            }
        } catch let error as RPCError {
            ending = error
        }
        let error = try #require(ending, "the stalled stream ended without an error")
        #expect(error.code == .resourceExhausted)
        let resume = try #require(error.details["resume_after_position"].flatMap { Int64($0) })
        #expect(delivered.count < 30)
        #expect(resume == delivered.last?.position)

        // Resuming after that position delivers exactly the rest, with no gap and no repeat.
        var rest: [Event] = []
        for try await event in writer.watchEvents(
            WatchEventsRequest(startFrom: .position, afterPosition: resume, orderID: order))
        {
            rest.append(event)
            if delivered.count + rest.count == 30 {
                break
            }
        }
        #expect(Set((delivered + rest).map(\.eventID)).count == 30)
        await writer.client.close()
        await slow.client.close()
        await deployment.server.stop()
    }

    @Test("expired position names the oldest available", arguments: StoreKind.available)
    func retention(kind: StoreKind) async throws {
        let deployment = try await TestDeployment(kind: kind, extraArguments: ["--event-retention", "2s"])
        let client = makeClient(port: deployment.server.port, token: deployment.token)
        let order = uniqueOrderID("retention")
        _ = try await client.registerPayment(cashPayment(order: order, amountMinorUnits: 100))
        var events: [Event] = []
        for try await event in client.watchEvents(WatchEventsRequest(startFrom: .beginning, orderID: order)) {
            events.append(event)
            break
        }
        let expiredPosition = try #require(events.first?.position)

        // Wait until the maintenance loop purged it (bounded), then write a newer event.
        try await Task.sleep(for: .seconds(4))
        _ = try await client.registerPayment(cashPayment(order: uniqueOrderID("retention"), amountMinorUnits: 100))

        var failure: RPCError?
        do {
            for try await _ in client.watchEvents(
                WatchEventsRequest(startFrom: .position, afterPosition: expiredPosition - 1))
            {
                break
            }
        } catch let error as RPCError {
            failure = error
        }
        let error = try #require(failure, "reading from an expired position did not fail")
        #expect(error.code == .outOfRange)
        let oldest = try #require(error.details["oldest_position"].flatMap { Int64($0) })
        #expect(oldest > expiredPosition)
        #expect(error.message.contains(String(oldest)))
        await client.client.close()
        await deployment.server.stop()
    }

    @Test("drain ends watches with a resume position")
    func drainEndsWatches() async throws {
        let deployment = try await TestDeployment(kind: .sqlite)
        let client = makeClient(port: deployment.server.port, token: deployment.token)
        let order = uniqueOrderID("drain")
        _ = try await client.registerPayment(cashPayment(order: order, amountMinorUnits: 300))

        let health = try await deployment.cli(["health"])
        #expect(health.status == 0, "\(health.standardError)")
        #expect(health.standardOutput.contains("serving"))
        let serverOnly = try await deployment.cli(["health", "--service", ""])
        #expect(serverOnly.status == 0, "\(serverOnly.standardError)")
        let unknownService = try await deployment.cli(["health", "--service", "no.such.Service"])
        #expect(unknownService.status != 0)
        #expect(unknownService.standardError.contains("NOT_FOUND"), "\(unknownService.standardError)")

        let watch = Task { () async throws -> (Int, RPCError?) in
            var delivered = 0
            do {
                for try await _ in client.watchEvents(WatchEventsRequest(startFrom: .beginning, orderID: order)) {
                    delivered += 1
                }
            } catch let error as RPCError {
                return (delivered, error)
            }
            return (delivered, nil)
        }
        let spanishWatch = Task {
            try await deployment.cli(["watch", "--order", order], environment: ["LC_ALL": "es_ES.UTF-8"])
        }
        // Long enough for the CLI process to start and subscribe before the drain.
        try await Task.sleep(for: .milliseconds(1500))
        kill(deployment.server.process.processIdentifier, SIGTERM)

        let (delivered, ending) = try await watch.value
        #expect(delivered == 1)
        let error = try #require(ending, "the watch did not end with a status when the server drained")
        #expect(error.code == .unavailable)
        #expect(error.details["resume_after_position"] != nil)
        let cli = try await spanishWatch.value
        #expect(cli.status == 5, "\(cli.standardError)")
        #expect(
            cli.standardError.contains("seguimiento terminado: el servidor se está deteniendo; continúe con --after"),
            "\(cli.standardError)")
        #expect(!cli.standardError.contains("error:"), "\(cli.standardError)")
        await deployment.server.waitForExit()
        #expect(deployment.server.process.terminationStatus == 0)
        #expect(deployment.server.logRecords.contains { $0["message"] as? String == "draining" })
        await client.client.close()
    }
}
