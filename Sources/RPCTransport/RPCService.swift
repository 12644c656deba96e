import ProtoRuntime
import RPCMessages

/// Kind of an RPC method: one response, or a stream of responses.
public enum RPCMethodKind: Sendable {
    case unary
    case serverStreaming
}

/// A set of methods served together, usually one generated service provider.
public protocol RPCService: Sendable {
    /// The methods this service serves; paths must be unique across the server's services.
    var methods: [RPCServerMethod] { get }
}

/// One method the server can run: its path, kind, and a type-erased handler.
///
/// A request that does not decode as the method's request type fails with
/// INVALID_ARGUMENT before the handler runs. Handlers run as tasks that prefer
/// the event loop of their connection, so their nonisolated code runs on that
/// loop's thread. A handler must never block: blocking work (a database call)
/// goes to threads of its own and is awaited.
public struct RPCServerMethod: Sendable {
    /// Method path, `/package.Service/Method`.
    public let path: String
    public let kind: RPCMethodKind
    let invoke: @Sendable (_ request: [UInt8], _ context: ServerCallContext, _ call: ServerCall) async -> Void

    /// A method with one request and one response.
    ///
    /// Handler errors become the call's status: `RPCError` as is, `RPCErrorConvertible` through
    /// `rpcError`, any other error INTERNAL with a generic message (the error itself is logged).
    public static func unary<Request: ProtoMessage, Response: ProtoMessage>(
        path: String, request: Request.Type, response: Response.Type,
        handler: @escaping @Sendable (Request, ServerCallContext) async throws -> Response
    ) -> RPCServerMethod {
        RPCServerMethod(path: path, kind: .unary) { bytes, context, call in
            guard let request = decodeRequest(Request.self, bytes, call) else {
                return
            }
            do {
                let response = try await handler(request, context)
                call.finish(message: response.serializedBytes(), status: CallStatus())
            } catch {
                call.finish(message: nil, status: call.status(for: error, context: context))
            }
        }
    }

    /// A method with one request and a stream of responses written through an `RPCStreamWriter`.
    ///
    /// The call ends with OK when the handler returns, or with the status of its error as for `unary`.
    public static func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        path: String, request: Request.Type, response: Response.Type,
        handler: @escaping @Sendable (Request, ServerCallContext, RPCStreamWriter<Response>) async throws -> Void
    ) -> RPCServerMethod {
        RPCServerMethod(path: path, kind: .serverStreaming) { bytes, context, call in
            guard let request = decodeRequest(Request.self, bytes, call) else {
                return
            }
            do {
                try await handler(request, context, RPCStreamWriter(call: call))
                call.finish(message: nil, status: CallStatus())
            } catch {
                call.finish(message: nil, status: call.status(for: error, context: context))
            }
        }
    }

    private static func decodeRequest<Request: ProtoMessage>(
        _ type: Request.Type, _ bytes: [UInt8], _ call: ServerCall
    ) -> Request? {
        do {
            return try Request(serializedBytes: bytes)
        } catch {
            let failure = RPCError(
                code: .invalidArgument,
                message: "the request is not a valid \(Request.protoMessageName) message (\(bytes.count) bytes)",
                notProcessed: true)
            call.finish(message: nil, status: failure.callStatus)
            return nil
        }
    }
}

/// Writes the responses of a server-streaming call.
public struct RPCStreamWriter<Message: ProtoMessage>: Sendable {
    let call: ServerCall

    /// Sends one message; suspends while the receiver has given no credit (flow control).
    ///
    /// - Throws: `RPCError` with code CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE or
    ///   RESOURCE_EXHAUSTED when the call ended or the message is over the size limit.
    public func write(_ message: Message) async throws {
        try await call.send(message.serializedBytes())
    }

    /// Sends one message, waiting at most `creditTimeout` for the receiver's credit.
    ///
    /// - Returns: false, with nothing sent and the call still open, when no credit arrived in time; the
    ///   handler decides how to end the call (for example with a resume position).
    /// - Throws: as `write(_:)` does.
    public func write(_ message: Message, creditTimeout: Duration) async throws -> Bool {
        try await call.send(message.serializedBytes(), creditTimeout: creditTimeout)
    }
}
