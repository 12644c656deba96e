import Foundation
import PaymentsDomain
import Synchronization
import TestSupport
import Testing

@testable import PaymentsStorage

/// A write queue on a scratch table of a fresh SQLite file.
private struct QueueFixture {
    let directory: URL
    let writer: ConnectionWorkers<SQLiteConnection>
    let queue: SQLiteWriteQueue
    let batches = BatchLog()

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("write-queue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("queue.sqlite").path
        writer = ConnectionWorkers(name: "queue-writer", threadCount: 1) {
            try SQLiteConnection(path: path, busyTimeoutMilliseconds: 1000)
        }
        let batches = self.batches
        queue = SQLiteWriteQueue(writer: writer, signal: EventSignal()) { size in batches.record(size) }
        try await writer.run { connection in
            try connection.execute("CREATE TABLE scratch (call INTEGER PRIMARY KEY, note TEXT NOT NULL)")
        }
    }

    func storedCalls() async throws -> [Int64] {
        try await writer.run { connection in
            try connection.query("SELECT call FROM scratch ORDER BY call", []).map { Int64($0.text(0))! }
        }
    }

    /// Keeps the writer thread busy until `release` is signalled, so the calls made meanwhile form full batches.
    /// Returns once the writer thread is busy.
    func holdWriter(until release: DispatchSemaphore) async -> Task<Void, any Error> {
        let writerBusy = DispatchSemaphore(value: 0)
        let holder = Task {
            try await writer.run { _ in
                writerBusy.signal()
                release.wait()
            }
        }
        await runOnDedicatedThread { writerBusy.wait() }
        return holder
    }

    /// Waits up to 5 s for `count` calls to queue.
    func waitUntilQueued(_ count: Int) async throws {
        for _ in 0..<5_000 where queue.queuedCount < count {
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    func close() async {
        await writer.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The number of calls of each batch the queue committed, in order.
private final class BatchLog: Sendable {
    private let recorded = Mutex<[Int]>([])

    var sizes: [Int] { recorded.withLock { $0 } }

    func record(_ size: Int) {
        recorded.withLock { $0.append(size) }
    }
}

private struct PlannedFailure: Error, Equatable {
    let call: Int64
}

@Suite("SQLite write queue")
struct SQLiteWriteQueueTests {
    @Test("failed calls roll back alone")
    func failedCallsRollBackAlone() async throws {
        let fixture = try await QueueFixture()
        let callCount: Int64 = 200
        let release = DispatchSemaphore(value: 0)
        let holder = await fixture.holdWriter(until: release)

        let running = Task {
            await withTaskGroup(of: (Int64, Result<Int64, PlannedFailure>).self) { group in
                for call in 1...callCount {
                    group.addTask {
                        do {
                            let value = try await fixture.queue.write { transaction, _ in
                                try transaction.connection.query(
                                    "INSERT INTO scratch (call, note) VALUES ($1, $2)", [.integer(call), .text("row")])
                                if call % 3 == 0 {
                                    throw PlannedFailure(call: call)
                                }
                                return call * 10
                            }
                            return (call, .success(value))
                        } catch {
                            return (call, .failure(error as? PlannedFailure ?? PlannedFailure(call: -1)))
                        }
                    }
                }
                var results: [Int64: Result<Int64, PlannedFailure>] = [:]
                for await (call, result) in group {
                    results[call] = result
                }
                return results
            }
        }
        try await fixture.waitUntilQueued(Int(callCount))
        release.signal()
        try await holder.value
        let results = await running.value
        let stored = try await fixture.storedCalls()
        let batches = fixture.batches.sizes
        await fixture.close()

        // Every batch mixes failing and succeeding calls.
        #expect(batches == [64, 64, 64, 8])
        #expect(results.count == Int(callCount))
        for call in 1...callCount {
            if call % 3 == 0 {
                #expect(results[call] == .failure(PlannedFailure(call: call)))
            } else {
                #expect(results[call] == .success(call * 10))
            }
        }
        #expect(stored == (1...callCount).filter { $0 % 3 != 0 })
    }

    @Test("calls see earlier writes in a batch")
    func laterCallsSeeEarlierWrites() async throws {
        let fixture = try await QueueFixture()

        let counts = await withTaskGroup(of: Int.self) { group in
            for call in Int64(1)...50 {
                group.addTask {
                    (try? await fixture.queue.write { transaction, _ in
                        try transaction.connection.query(
                            "INSERT INTO scratch (call, note) VALUES ($1, 'row')", [.integer(call)])
                        let rows = try transaction.connection.query("SELECT count(*) FROM scratch", [])
                        return Int(rows[0].text(0))!
                    }) ?? -1
                }
            }
            var counts: [Int] = []
            for await count in group {
                counts.append(count)
            }
            return counts
        }
        await fixture.close()

        // Each call counts the rows of every call before it plus its own, so the counts are 1 through 50.
        #expect(counts.sorted() == Array(1...50))
    }

    @Test("failed lone call leaves nothing")
    func failedCallAlone() async throws {
        let fixture = try await QueueFixture()

        await #expect(throws: PlannedFailure(call: 1)) {
            try await fixture.queue.write { transaction, _ in
                try transaction.connection.query("INSERT INTO scratch (call, note) VALUES (1, 'row')", [])
                throw PlannedFailure(call: 1)
            }
        }
        let value = try await fixture.queue.write { transaction, _ in
            try transaction.connection.query("INSERT INTO scratch (call, note) VALUES (2, 'row')", [])
            return 20
        }
        let stored = try await fixture.storedCalls()
        let batches = fixture.batches.sizes
        await fixture.close()

        #expect(value == 20)
        #expect(stored == [2])
        #expect(batches == [1, 1])
    }

    @Test("a batch holds at most maxBatchSize calls")
    func batchesAreCapped() async throws {
        let fixture = try await QueueFixture()
        let callCount = 2 * SQLiteWriteQueue.maxBatchSize + 22
        let release = DispatchSemaphore(value: 0)
        let holder = await fixture.holdWriter(until: release)

        let calls = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for call in 1...callCount {
                    group.addTask {
                        try await fixture.queue.write { transaction, _ -> Void in
                            try transaction.connection.query(
                                "INSERT INTO scratch (call, note) VALUES ($1, 'row')", [.integer(Int64(call))])
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await fixture.waitUntilQueued(callCount)
        let queuedBeforeRelease = fixture.queue.queuedCount
        release.signal()
        try await holder.value
        try await calls.value
        let stored = try await fixture.storedCalls()
        let batches = fixture.batches.sizes
        await fixture.close()

        #expect(queuedBeforeRelease == callCount)
        #expect(batches == [SQLiteWriteQueue.maxBatchSize, SQLiteWriteQueue.maxBatchSize, 22])
        #expect(stored.count == callCount)
    }

    @Test("closed writer fails calls")
    func closedWriter() async throws {
        let fixture = try await QueueFixture()
        await fixture.writer.close()

        await #expect(throws: PaymentError.self) {
            try await fixture.queue.write { _, _ in 1 }
        }
        do {
            _ = try await fixture.queue.write { _, _ in 1 }
        } catch let error as PaymentError {
            #expect(error.code == .storeUnavailable)
        }
        await fixture.close()
    }
}
