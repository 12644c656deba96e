import Foundation
import TestSupport

/// The repository's .proto files compiled by protoc-c into a descriptor set, as `make generate-swift` does.
enum ProtoFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let protoFiles = ["rpc/v1/envelope.proto", "rpc/v1/health.proto", "payments/v1/payments.proto"]

    /// Runs `protoc-c --include_source_info --descriptor_set_out` into a temporary directory and returns the bytes.
    static func descriptorSetBytes() async throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("payments-codegen-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("descriptors.pb")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["protoc-c", "--proto_path=.", "--include_source_info", "--descriptor_set_out=\(output.path)"]
            + protoFiles
        process.currentDirectoryURL = repositoryRoot.appendingPathComponent("proto")
        try process.run()
        let status = await runOnDedicatedThread {
            process.waitUntilExit()
            return process.terminationStatus
        }
        guard status == 0 else {
            throw FixtureError(message: "protoc-c exited with status \(status)")
        }
        return [UInt8](try Data(contentsOf: output))
    }

    /// Reads a file of the repository as text.
    static func repositoryFile(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: repositoryRoot.appendingPathComponent(path)), as: UTF8.self)
    }

    struct FixtureError: Error {
        var message: String
    }
}
