internal import RPCTransport

/// A failure that ends a CLI command, with the exit status of its kind.
enum CLIFailure: Error {
    /// The command line is wrong; the message says which option and how to fix it.
    case usage(String)
    /// The server answered the call with a non-OK status.
    case rpc(RPCError)
    /// A local file could not be used.
    case localFile(String)

    var exitStatus: ExitStatus {
        switch self {
        case .usage: .usage
        case .rpc(let error): ExitStatus(code: error.code)
        case .localFile: .localFile
        }
    }
}
