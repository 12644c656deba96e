public import PaymentsRPC
public import RPCMessages
public import RPCTransport
internal import Synchronization

/// The Health service: SERVING while the server accepts calls, NOT_SERVING once it drains.
///
/// Needs no token, so that load balancers and probes can call it. An empty service name checks the
/// server alone and touches no database, so it also measures the transport. The name
/// `payments.v1.PaymentService` also runs the store probe and returns NOT_SERVING when the probe fails.
public final class HealthHandler: HealthProvider {
    private let serving = Atomic<Bool>(true)
    private let storeProbe: @Sendable () async -> Bool

    /// - Parameter storeProbe: returns whether a trivial read from the store succeeds.
    public init(storeProbe: @escaping @Sendable () async -> Bool = { true }) {
        self.storeProbe = storeProbe
    }

    /// Marks the server as draining; later checks return NOT_SERVING.
    public func markNotServing() {
        serving.store(false, ordering: .relaxed)
    }

    /// Whether the server still accepts calls; event watches end with a resume position once it does not.
    var isServing: Bool {
        serving.load(ordering: .relaxed)
    }

    public func check(_ request: HealthCheckRequest, context: ServerCallContext) async throws -> HealthCheckResponse {
        guard serving.load(ordering: .relaxed) else {
            return HealthCheckResponse(status: .notServing)
        }
        switch request.service {
        case "", "rpc.v1.Health":
            return HealthCheckResponse(status: .serving)
        case "payments.v1.PaymentService":
            return HealthCheckResponse(status: await storeProbe() ? .serving : .notServing)
        default:
            throw RPCError(
                code: .notFound,
                message: "unknown service '\(request.service)': check an empty name or payments.v1.PaymentService")
        }
    }
}
