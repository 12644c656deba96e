import Foundation
import PaymentsDomain
import Testing

@testable import PaymentsStorage

@Suite("Throughput probe", .enabled(if: ProcessInfo.processInfo.environment["PAYMENTS_STORE_PROBE"] == "1"))
struct ThroughputProbe {
    @Test("register and confirm", arguments: StoreKind.enabled)
    func registerConfirm(kind: StoreKind) async throws {
        let clients = kind == .postgres ? 32 : 1
        try await withStore(kind, poolSize: clients) { store in
            let start = ContinuousClock.now
            let deadline = start + .seconds(8)
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<clients {
                    group.addTask {
                        var count = 0
                        while ContinuousClock.now < deadline {
                            _ = try await capturedPayment(store, amount: 12345, currency: "EUR")
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let seconds = Double((ContinuousClock.now - start).components.seconds)
            print("probe kind=\(kind) clients=\(clients) register+confirm/s=\(Double(total) / seconds)")
        }
    }
}
