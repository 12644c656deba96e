/// Version of the payments service and its CLI, logged by the server at start and printed by
/// `payments-server --version` and `payments version`.
public enum PaymentsVersion {
    public static let current = "0.1.0"
}
