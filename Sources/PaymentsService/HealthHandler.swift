internal import Synchronization
public import PaymentsRPC
public import RPCMessages
public import RPCTransport

/// The Health service: SERVING while the server accepts calls, NOT_SERVING once it drains.
///
/// Needs no token, so that load balancers and probes can call it.
public final class HealthHandler: HealthProvider {
    private let serving = Atomic<Bool>(true)

    public init() {}

    /// Marks the server as draining; later checks return NOT_SERVING.
    public func markNotServing() {
        serving.store(false, ordering: .relaxed)
    }

    public func check(_ request: HealthCheckRequest, context: ServerCallContext) async throws -> HealthCheckResponse {
        let known = ["", "payments.v1.PaymentService", "rpc.v1.Health"]
        guard known.contains(request.service) else {
            throw RPCError(
                code: .notFound,
                message: "unknown service '\(request.service)': check an empty name or payments.v1.PaymentService")
        }
        return HealthCheckResponse(status: serving.load(ordering: .relaxed) ? .serving : .notServing)
    }
}
