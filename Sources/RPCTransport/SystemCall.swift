#if canImport(Glibc)
    import Glibc
#endif

/// Runs system calls, retrying on EINTR and turning failures into `RPCTransportError`.
enum SystemCall {
    /// Runs `body` until it does not fail with EINTR; returns its non-negative result.
    ///
    /// - Throws: `RPCTransportError.Code.systemCallFailed` naming `function` and errno.
    @discardableResult
    static func run<Result: BinaryInteger>(
        _ function: StaticString, _ body: () -> Result
    ) throws(RPCTransportError) -> Result {
        while true {
            let result = body()
            if result >= 0 {
                return result
            }
            let number = errno
            if number == EINTR {
                continue
            }
            throw failure(function, number)
        }
    }

    /// Builds the error for a failed call of `function` with errno `number`.
    static func failure(_ function: StaticString, _ number: Int32) -> RPCTransportError {
        let reason = String(cString: strerror(number))
        return RPCTransportError(
            .systemCallFailed, "\(function) failed: \(reason) (errno \(number))", errorNumber: number)
    }

    /// Closes a descriptor, ignoring errors: Linux releases the descriptor even when close fails.
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }
}
