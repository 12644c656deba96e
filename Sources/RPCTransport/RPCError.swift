import RPCMessages

/// The failure of a call, as carried by its STATUS frame.
///
/// Clients throw this type from every call. Handlers may throw it to set the
/// call's status exactly; other errors become INTERNAL unless they conform to
/// `RPCErrorConvertible`.
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: StatusCode
    /// Human-readable message that names the value at fault and the fix.
    public var message: String
    /// Stable domain code such as `REFUND_EXCEEDS_PAYMENT`; empty for transport errors.
    public var domainCode: String
    /// Machine-readable details, for example `refundable_minor_units`.
    public var details: [String: String]
    /// True when sending the same call again, with the same idempotency key, may succeed.
    public var isRetryable: Bool
    /// True when the server never started the call, so a retry cannot apply it twice.
    public var notProcessed: Bool

    public init(
        code: StatusCode, message: String, domainCode: String = "", details: [String: String] = [:],
        isRetryable: Bool = false, notProcessed: Bool = false
    ) {
        self.code = code
        self.message = message
        self.domainCode = domainCode
        self.details = details
        self.isRetryable = isRetryable
        self.notProcessed = notProcessed
    }

    /// Creates an error from a received status; a repeated detail key keeps its last value.
    public init(status: CallStatus) {
        var details: [String: String] = [:]
        for entry in status.details {
            details[entry.key] = entry.value
        }
        self.init(
            code: status.code, message: status.message, domainCode: status.domainCode, details: details,
            isRetryable: status.retryable, notProcessed: status.notProcessed)
    }

    /// The status sent on the wire; details are sorted by key so that the encoding is stable.
    public var callStatus: CallStatus {
        var status = CallStatus()
        status.code = code
        status.message = message
        status.domainCode = domainCode
        status.details = details.keys.sorted().map { MetadataEntry(key: $0, value: details[$0]!) }
        status.retryable = isRetryable
        status.notProcessed = notProcessed
        return status
    }

    public var description: String {
        var text = "\(code.protoName)"
        if !domainCode.isEmpty {
            text += " \(domainCode)"
        }
        text += ": \(message)"
        if notProcessed {
            text += " (not processed)"
        }
        return text
    }
}

/// An error with a wire status; handlers throw such errors to set the call's status.
public protocol RPCErrorConvertible: Error {
    /// The status the call ends with.
    var rpcError: RPCError { get }
}

extension RPCError {
    /// UNAVAILABLE for a call the server never started: retryable, not processed.
    static func unavailableNotProcessed(_ message: String) -> RPCError {
        RPCError(code: .unavailable, message: message, isRetryable: true, notProcessed: true)
    }

    /// UNAVAILABLE for a call whose outcome is unknown because the connection died.
    static func connectionLost(_ message: String) -> RPCError {
        RPCError(code: .unavailable, message: message, isRetryable: true)
    }
}
