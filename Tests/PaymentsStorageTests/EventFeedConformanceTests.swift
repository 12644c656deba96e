import Foundation
import PaymentsDomain
import Synchronization
import Testing

@testable import PaymentsStorage

@Suite("Store conformance: event feed")
struct EventFeedConformanceTests {
    @Test("events describe each change", arguments: StoreKind.enabled)
    func eventContents(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let payment = try await capturedPayment(store, amount: 6240, currency: "EUR")
            let outcome = try await refund(store, payment, 4320)
            let failedOrder = newOrderID()
            let pending = try await store.register(
                try RegisterPaymentCommand(
                    orderID: failedOrder, method: .bankTransfer, amountMinorUnits: 5, currencyCode: "EUR"),
                idempotency: nil)
            _ = try await store.fail(
                try FailPaymentCommand(orderID: failedOrder, paymentID: pending.paymentID, failureCode: "expired"),
                idempotency: nil)

            let events = try await allEvents(store, orderID: payment.orderID)
            let failedEvents = try await allEvents(store, orderID: failedOrder)

            #expect(events.map(\.type) == [.pending, .succeeded, .refunded])
            #expect(events.map(\.status) == [.pending, .succeeded, .partiallyRefunded])
            let refunded = try #require(events.last)
            #expect(refunded.refundID == outcome.refund.refundID)
            #expect(refunded.refundAmountMinorUnits == 4320)
            #expect(refunded.refundedMinorUnits == 4320)
            #expect(refunded.amountMinorUnits == 6240)
            #expect(refunded.currency == "EUR")
            #expect(refunded.paymentID == payment.paymentID)
            #expect(RandomID.isWellFormed(refunded.eventID, .event))
            #expect(Set(events.map(\.eventID)).count == 3)
            #expect(failedEvents.last?.type == .failed)
            #expect(failedEvents.last?.failureCode == "expired")
            #expect(failedEvents.last?.status == .failed)
        }
    }

    @Test("filters by order and type", arguments: StoreKind.enabled)
    func filters(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = try await capturedPayment(store, amount: 100)
            let second = try await capturedPayment(store, amount: 200)
            _ = try await refund(store, second, 50)
            try await settle(store)

            let all = try await store.events(after: 0, limit: 100, orderID: nil, types: nil)
            let refunds = try await store.events(after: 0, limit: 100, orderID: nil, types: [.refunded])
            let firstOrder = try await store.events(
                after: 0, limit: 100, orderID: first.orderID, types: [.succeeded, .pending])
            let page = try await store.events(after: all[1].position, limit: 2, orderID: nil, types: nil)

            #expect(all.count == 5)
            #expect(all.map(\.position) == [1, 2, 3, 4, 5])
            #expect(refunds.map(\.paymentID) == [second.paymentID])
            #expect(firstOrder.map(\.type) == [.pending, .succeeded])
            #expect(page.map(\.position) == [all[2].position, all[3].position])
            #expect(try await store.lastPosition() == 5)
            #expect(try await store.oldestRetainedPosition() == 1)
        }
    }

    @Test("empty feed positions", arguments: StoreKind.enabled)
    func emptyFeed(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let last = try await store.lastPosition()
            let oldest = try await store.oldestRetainedPosition()
            let events = try await store.events(after: 0, limit: 10, orderID: nil, types: nil)

            #expect(last == 0)
            #expect(oldest == nil)
            #expect(events.isEmpty)
        }
    }

    @Test("reader following writers misses nothing", arguments: StoreKind.enabled)
    func followWhileWriting(kind: StoreKind) async throws {
        try await withStore(kind, poolSize: 6) { store in
            let writers = 4
            let paymentsPerWriter = 12
            // Each payment writes pending, succeeded and refunded.
            let expectedCount = writers * paymentsPerWriter * 3
            let signal = store.newEventsSignal()

            async let seen: [PaymentEvent] = follow(store, signal: signal, until: expectedCount)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<writers {
                    group.addTask {
                        for _ in 0..<paymentsPerWriter {
                            let payment = try await capturedPayment(store, amount: 300)
                            _ = try await refund(store, payment, 100)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let followed = try await seen

            try await settle(store)
            let outbox = try await store.events(after: 0, limit: 1000, orderID: nil, types: nil)
            #expect(outbox.count == expectedCount)
            #expect(followed.map(\.eventID) == outbox.map(\.eventID))
            #expect(followed.map(\.position) == Array(1...Int64(expectedCount)))
        }
    }

    /// Reads the feed from the start, draining it after each wake-up of `signal`, until `count` events arrived.
    ///
    /// A watchdog cancels the reader after 60 s so a missing wake-up fails the test instead of hanging it.
    private func follow(_ store: any PaymentStore, signal: AsyncStream<Void>, until count: Int) async throws
        -> [PaymentEvent]
    {
        let reader = Task { () throws -> [PaymentEvent] in
            var seen: [PaymentEvent] = []
            var position: Int64 = 0
            var wakeUps = signal.makeAsyncIterator()
            while true {
                while true {
                    let batch = try await store.events(after: position, limit: 7, orderID: nil, types: nil)
                    guard !batch.isEmpty else {
                        break
                    }
                    for event in batch {
                        #expect(event.position > position)
                        position = event.position
                    }
                    seen += batch
                }
                guard seen.count < count, await wakeUps.next() != nil else {
                    return seen
                }
            }
        }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(60))
            reader.cancel()
        }
        defer { watchdog.cancel() }
        return try await reader.value
    }
}
