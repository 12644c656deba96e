// Serves the transport test service on 127.0.0.1 with an ephemeral port,
// prints `port=<number>` on one line, and runs until killed.

import Foundation
import PaymentsLogging
import RPCMessages
import RPCTransport

/// Methods for process-level transport tests; `service` of the request selects the behaviour.
struct ProcessTestService: RPCService {
    var methods: [RPCServerMethod] {
        [
            .unary(path: "/test.Test/Echo", request: HealthCheckRequest.self, response: HealthCheckResponse.self) {
                _, _ in
                HealthCheckResponse(status: .serving)
            },
            .unary(path: "/test.Test/Slow", request: HealthCheckRequest.self, response: HealthCheckResponse.self) {
                request, _ in
                let milliseconds = Int(request.service) ?? 0
                try await Task.sleep(for: .milliseconds(milliseconds))
                return HealthCheckResponse(status: .serving)
            },
        ]
    }
}

let logger = Logger(label: "rpc.test-server", level: .warning)
let server = RPCServer(
    configuration: RPCServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1),
    services: [ProcessTestService()], logger: logger)
do {
    let address = try server.start()
    FileHandle.standardOutput.write(Data("port=\(address.port)\n".utf8))
    await server.waitUntilStopped()
} catch {
    FileHandle.standardError.write(Data("rpc-test-server: \(error)\n".utf8))
    exit(1)
}
