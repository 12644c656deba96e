internal import RPCMessages

/// Exit statuses of the `payments` CLI, one per kind of failure, so scripts can branch on them.
enum ExitStatus: Int32 {
    /// The command did what it was asked.
    case success = 0
    /// The command line is wrong: unknown option, missing value, unparsable amount. Nothing was sent.
    case usage = 2
    /// The service rejected the request by its rules: invalid argument, not found, failed precondition.
    case rejected = 3
    /// The token is missing, unknown or lacks the scope.
    case authentication = 4
    /// The service could not be reached or timed out; retrying later may succeed.
    case unavailable = 5
    /// The service failed internally or answered something unexpected.
    case serverError = 6
    /// A local file (token file, development token) could not be read or written.
    case localFile = 7

    /// Maps an RPC status code to the exit status of its kind.
    init(code: StatusCode) {
        switch code {
        case .ok:
            self = .success
        case .invalidArgument, .notFound, .alreadyExists, .failedPrecondition, .outOfRange:
            self = .rejected
        case .unauthenticated, .permissionDenied:
            self = .authentication
        case .unavailable, .deadlineExceeded, .aborted, .resourceExhausted, .cancelled:
            self = .unavailable
        default:
            self = .serverError
        }
    }
}
