// swift-tools-version:6.0
// libFuzzer targets for the transport's frame decoder and the generated message decoders.
// Kept out of the root package because a plain `swift build` cannot link them:
// they have no main and get one only from `--sanitize=fuzzer`. Run them with
// `make fuzz` (scripts/fuzz.sh).

import PackageDescription

let package = Package(
    name: "payments-fuzz",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "FuzzFrameDecoder", targets: ["FuzzFrameDecoder"]),
        .executable(name: "FuzzMessageDecoder", targets: ["FuzzMessageDecoder"]),
    ],
    dependencies: [.package(name: "payments", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzFrameDecoder",
            dependencies: [
                .product(name: "RPCTransport", package: "payments"),
                .product(name: "RPCMessages", package: "payments"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "FuzzMessageDecoder",
            dependencies: [
                .product(name: "RPCMessages", package: "payments"),
                .product(name: "PaymentsMessages", package: "payments"),
                .product(name: "ProtoRuntime", package: "payments"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
