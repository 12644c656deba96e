/// An error of the transport itself: bad bytes from the peer, a failed system call, a bad configuration.
///
/// Calls never throw this type; they throw `RPCError`, which carries a wire status. This type
/// reports why a connection closed or a server could not start.
public struct RPCTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable error code; raw values are never reused.
    public enum Code: Int, Sendable {
        /// The first 8 bytes were not the connection preface.
        case invalidPreface = 1
        /// A frame length is above the frame size limit.
        case frameTooLarge = 2
        /// A frame is malformed or not allowed in the connection's state.
        case protocolViolation = 3
        /// A system call failed; `message` names it and the errno value.
        case systemCallFailed = 4
        /// A configuration value is out of its range.
        case invalidConfiguration = 5
        /// The server was started twice or used after it stopped.
        case invalidState = 6
    }

    public var code: Code
    /// What went wrong, naming the value at fault and the fix.
    public var message: String
    /// `errno` for `systemCallFailed`, 0 otherwise.
    public var errorNumber: Int32

    public init(_ code: Code, _ message: String, errorNumber: Int32 = 0) {
        self.code = code
        self.message = message
        self.errorNumber = errorNumber
    }

    public var description: String {
        "RPCTransportError(\(code)): \(message)"
    }
}
