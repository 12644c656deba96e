internal import RPCTransport

/// A failure that ends a CLI command, with the exit status of its kind.
enum CLIFailure: Error {
    /// The command line is wrong. The message names the option and the fix.
    case usage(String)
    /// The server ended the call with a non-OK status.
    case rpc(RPCError)
    /// The call ended with a non-OK status whose lines the command already printed.
    case reported(RPCError)
    /// A local file could not be used.
    case localFile(String)
    /// The health check returned this status instead of `serving`.
    case notServing(String)

    var exitStatus: ExitStatus {
        switch self {
        case .usage: .usage
        case .rpc(let error), .reported(let error): ExitStatus(code: error.code)
        case .localFile: .localFile
        case .notServing: ExitStatus(code: .unavailable)
        }
    }
}
