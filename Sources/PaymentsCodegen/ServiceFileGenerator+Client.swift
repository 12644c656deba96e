extension ServiceFileGenerator {
    /// Writes the `methods` list that routes each path to the provider's handler.
    func writeMethodsExtension(name: String, methods: [MethodPlan], to writer: inout CodeWriter) throws(CodegenError) {
        writer.line()
        writer.line("extension \(name)Provider {")
        try writer.indented { writer throws(CodegenError) in
            writer.line("/// One route per method of the service, each decoding the request and calling the provider.")
            writer.line("public var methods: [RPCServerMethod] {")
            try writer.indented { writer throws(CodegenError) in
                writer.line("[")
                try writer.indented { writer throws(CodegenError) in
                    for (index, method) in methods.enumerated() {
                        let streaming = method.method.serverStreaming
                        writer.line(streaming ? ".serverStreaming(" : ".unary(")
                        try writer.indented { writer throws(CodegenError) in
                            writer.line("path: \(name)MethodPath.\(method.swiftName),")
                            writer.line("request: \(method.requestType).self,")
                            writer.line("response: \(method.responseType).self,")
                            if streaming {
                                writer.line("handler: { request, context, writer in")
                                try writer.indented { writer throws(CodegenError) in
                                    writer.line(
                                        "try await self.\(method.swiftName)(request, context: context, writer: writer)")
                                }
                            } else {
                                writer.line("handler: { request, context in")
                                try writer.indented { writer throws(CodegenError) in
                                    writer.line("try await self.\(method.swiftName)(request, context: context)")
                                }
                            }
                            writer.line("}")
                        }
                        // swift-format keeps a trailing comma only in a list of several elements.
                        writer.line(methods.count > 1 || index > 0 ? ")," : ")")
                    }
                }
                writer.line("]")
            }
            writer.line("}")
        }
        writer.line("}")
    }

    /// Writes the client stub; mutating methods get a fresh idempotency key when the caller gave none.
    func writeClient(
        name: String, fullName: String, comment: String?, methods: [MethodPlan], to writer: inout CodeWriter
    ) throws(CodegenError) {
        writer.line()
        writer.documentation(comment)
        if comment != nil {
            writer.line("///")
        }
        writer.line("/// Client of `\(fullName)`. Calls without an idempotency level of NO_SIDE_EFFECTS in the")
        writer.line("/// .proto file get a fresh idempotency key when the caller gave none, so retries are safe.")
        writer.line("public struct \(name)Client: Sendable {")
        try writer.indented { writer throws(CodegenError) in
            writer.line("/// Connection pool and retry policy that every call goes through.")
            writer.line("public let client: RPCClient")
            writer.line()
            writer.line("/// Creates a stub that sends its calls through `client`.")
            writer.line("public init(client: RPCClient) {")
            try writer.indented { writer throws(CodegenError) in writer.line("self.client = client") }
            writer.line("}")
            for method in methods {
                writer.line()
                try writeClientMethod(name: name, method: method, to: &writer)
            }
        }
        writer.line("}")
    }

    private func writeClientMethod(name: String, method: MethodPlan, to writer: inout CodeWriter) throws(CodegenError) {
        let path = "\(name)MethodPath.\(method.swiftName)"
        let isMutating = method.method.idempotencyLevel != .noSideEffects
        writer.documentation(method.documentation)
        if method.method.serverStreaming {
            writer.line("///")
            writer.line("/// The stream throws `RPCError` when the call fails and ends when the server sends OK.")
        } else {
            writer.line("///")
            writer.line("/// - Throws: `RPCError` with the status the server or the transport sent.")
        }
        let parameters = "_ request: \(method.requestType), options: CallOptions = CallOptions()"
        if method.method.serverStreaming {
            try writer.signature(
                "public func \(method.swiftName)(", parameters: parameters,
                effects: ") -> RPCResponseStream<\(method.responseType)> {")
        } else {
            try writer.signature(
                "public func \(method.swiftName)(", parameters: parameters,
                effects: ") async throws -> \(method.responseType) {")
        }
        try writer.indented { writer throws(CodegenError) in
            if isMutating {
                writer.line("var options = options")
                writer.line("if options.idempotencyKey == nil {")
                try writer.indented { writer throws(CodegenError) in
                    writer.line("options.idempotencyKey = RPCClient.makeIdempotencyKey()")
                }
                writer.line("}")
            }
            if method.method.serverStreaming {
                writer.line("return client.serverStreaming(")
                try writer.indented { writer throws(CodegenError) in
                    writer.line("path: \(path),")
                    writer.line("request: request,")
                    writer.line("responseType: \(method.responseType).self,")
                    writer.line("options: options")
                }
                writer.line(")")
            } else {
                writer.line("return try await client.unary(")
                try writer.indented { writer throws(CodegenError) in
                    writer.line("path: \(path),")
                    writer.line("request: request,")
                    writer.line("responseType: \(method.responseType).self,")
                    writer.line("options: options,")
                    writer.line("safeToRetry: true")
                }
                writer.line(")")
            }
        }
        writer.line("}")
    }
}
