import PaymentsCommandLine
import RPCTransport

/// A failure of `payments bench`, with a stable code, a message that names the value and the fix, and the cause.
public struct BenchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable identifier of the kind of failure.
    public enum Code: String, Sendable, Equatable {
        /// An option is unknown, missing its value or has a value it cannot use.
        case invalidOption = "INVALID_OPTION"
        /// The bearer token could not be read.
        case tokenUnavailable = "TOKEN_UNAVAILABLE"
        /// Preparing the data a scenario needs (payments to refund, orders to list) failed.
        case setupFailed = "SETUP_FAILED"
    }

    public var code: Code
    /// Sentence saying what failed, on which value, and what to do, in the language of the run's locale.
    public var message: String
    /// The underlying error's description, when there is one.
    public var cause: String?
    /// The RPC error that caused the failure, so the caller can pick the exit status and hint from its code.
    public var rpcError: RPCError?

    public init(code: Code, message: String, cause: String? = nil, rpcError: RPCError? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.rpcError = rpcError
    }

    /// An invalid option value; `expected` describes what the option takes, in `language`.
    public static func invalidOption(
        name: String, value: String, expected: String, language: Language = .english
    ) -> BenchError {
        BenchError(
            code: .invalidOption, message: BenchText(language: language).invalidValue(name, value, expected))
    }

    public var description: String {
        guard let cause else {
            return message
        }
        return "\(message) (\(cause))"
    }
}
