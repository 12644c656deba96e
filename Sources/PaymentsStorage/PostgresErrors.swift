import PaymentsDomain

/// Maps PostgreSQL failures to ``PaymentError`` codes by SQLSTATE.
enum PostgresErrors {
    /// SQLSTATE of a lock wait that reached `lock_timeout`.
    static let lockNotAvailable = "55P03"
    /// SQLSTATE of a statement cancelled by a cancel request or by `statement_timeout`.
    static let queryCanceled = "57014"

    static func map(sqlState: String?, primaryMessage: String, connectionLost: Bool, step: String) -> PaymentError {
        let state = sqlState ?? ""
        // libpq's messages can span lines, such as a FATAL line followed by its detail; a log record takes one.
        let message = primaryMessage.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
        let cause = "\(step): \(state.isEmpty ? "" : "SQLSTATE \(state): ")\(message)"
        var details: [String: String] = [:]
        if !state.isEmpty {
            details["sqlstate"] = state
        }

        if connectionLost || state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) {
            return PaymentError(
                .storeUnavailable,
                "lost the connection to PostgreSQL; retry the call, with the same idempotency key for a write",
                details: details, cause: cause)
        }
        switch state {
        case "40001", "40P01":
            return PaymentError(
                .storeUnavailable, "PostgreSQL aborted the transaction because of a conflict; retry", details: details,
                cause: cause)
        case lockNotAvailable, queryCanceled:
            return PaymentError(
                .storeUnavailable, "PostgreSQL timed out waiting for a lock; retry", details: details, cause: cause)
        case _ where state.hasPrefix("53"):
            return PaymentError(
                .storeUnavailable, "PostgreSQL is out of resources; retry later", details: details, cause: cause)
        case _ where state.hasPrefix("23"):
            return PaymentError(
                .internal, "a database constraint rejected a change that the payment rules allowed", details: details,
                cause: cause)
        default:
            return PaymentError(.internal, "PostgreSQL failed while \(step)", details: details, cause: cause)
        }
    }

    /// Returns whether the transaction may simply run again after a serialization failure or a deadlock.
    static func isTransient(_ error: any Error) -> Bool {
        guard let error = error as? PaymentError else {
            return false
        }
        return ["40001", "40P01"].contains(error.details["sqlstate"] ?? "")
    }

    static func isLockTimeout(_ error: any Error) -> Bool {
        (error as? PaymentError)?.details["sqlstate"] == lockNotAvailable
    }
}
