// swift-tools-version:6.1
import PackageDescription

// Dependencies point one way: blankett (CLI) -> DigitTraining -> ConvNet, MNIST -> DigitImage -> BlankettSupport.
// Each C library is wrapped once, and exactly one Swift file imports each wrapper.
let package = Package(
    name: "Blankett",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "blankett", targets: ["blankett"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // The verification station: the server, its sessions and bcrypt, and its templates.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        .target(name: "BlankettSupport", dependencies: ["CCrypto"]),
        .target(name: "ConvNet", dependencies: ["BlankettSupport", "CBLAS"]),
        .target(name: "DigitImage", dependencies: ["BlankettSupport"]),
        .target(name: "MNIST", dependencies: ["BlankettSupport", "DigitImage", "CZlib"]),
        .target(name: "FieldRules", dependencies: ["BlankettSupport", .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "PageImage", dependencies: ["BlankettSupport", "CPNG", .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "FormTemplate", dependencies: ["BlankettSupport"]),
        .target(name: "PrintedText", dependencies: ["BlankettSupport", "CTesseract"]),
        .target(name: "FormReader", dependencies: ["BlankettSupport", "ConvNet", "DigitImage", "FieldRules",
                                                   "FormTemplate", "PageImage", "PrintedText", .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "WorkQueue", dependencies: ["BlankettSupport", "CSQLite", .product(name: "SystemPackage", package: "swift-system")]),
        // The PostgreSQL backend of the queue, its own target so that WorkQueue (and whatever uses
        // only SQLite or the outbox) does not depend on postgres-nio.
        .target(name: "PostgresQueue", dependencies: ["BlankettSupport", "WorkQueue",
                                                     .product(name: "PostgresNIO", package: "postgres-nio"),
                                                     .product(name: "NIOCore", package: "swift-nio"),
                                                     .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                     .product(name: "Logging", package: "swift-log")]),
        // Opens whichever backend a store URL names; the CLI and the daemon open stores only here.
        .target(name: "QueueStores", dependencies: ["WorkQueue", "PostgresQueue"]),
        .target(name: "Delivery", dependencies: ["BlankettSupport", "FormReader", "PageImage", "WorkQueue"]),
        .target(name: "Watch", dependencies: ["BlankettSupport", "FieldRules", "FormReader", "PageImage", "WorkQueue", "QueueStores", "Delivery",
                                             .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                                             .product(name: "Logging", package: "swift-log"), .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "Synth", dependencies: ["BlankettSupport", "FormTemplate", "PageImage", "FieldRules", "MNIST", "DigitImage"]),
        .target(name: "ScanCells", dependencies: ["BlankettSupport", "FormReader", "FormTemplate", "PageImage", "Synth"]),
        // Training, the committee and their manifests: the domain work of `blankett train`, `ensemble` and `digits eval`.
        .target(name: "DigitTraining", dependencies: ["BlankettSupport", "ConvNet", "DigitImage", "FormTemplate", "MNIST", "PageImage", "ScanCells", "Synth"]),
        .target(name: "FuzzTargets", dependencies: ["BlankettSupport", "ConvNet", "FieldRules", "FormReader", "FormTemplate", "WorkQueue"],
                path: "Fuzz/Targets"),
        .target(name: "Verification", dependencies: ["BlankettSupport", "FieldRules", "FormReader", "FormTemplate"]),
        .target(name: "VerifyStation", dependencies: ["BlankettSupport", "FieldRules", "FormReader", "FormTemplate", "Verification", "WorkQueue",
                                                     .product(name: "Hummingbird", package: "hummingbird"),
                                                     .product(name: "HummingbirdTLS", package: "hummingbird"),
                                                     .product(name: "HummingbirdCore", package: "hummingbird"),
                                                     .product(name: "HTTPTypes", package: "swift-http-types"),
                                                     .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                                                     .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                                                     .product(name: "Mustache", package: "swift-mustache"),
                                                     .product(name: "NIOCore", package: "swift-nio"),
                                                     .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                     .product(name: "Logging", package: "swift-log")]),
        .target(name: "Bench", dependencies: ["BlankettSupport", "ConvNet", "FormReader", "FormTemplate", "PageImage", "PrintedText", "Synth", "FieldRules",
                                             "WorkQueue"]),
        .executableTarget(
            name: "blankett",
            dependencies: [
                "BlankettSupport", "ConvNet", "Delivery", "DigitTraining", "FieldRules", "FormReader", "FormTemplate", "PageImage", "Synth", "WorkQueue", "QueueStores", "Bench", "Watch", "VerifyStation",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        .testTarget(name: "BlankettSupportTests", dependencies: ["BlankettSupport"]),
        .testTarget(name: "ConvNetTests", dependencies: ["ConvNet", "BlankettSupport", "DigitImage", "MNIST"]),
        .testTarget(name: "DigitImageTests", dependencies: ["DigitImage", "BlankettSupport"]),
        .testTarget(name: "MNISTTests", dependencies: ["MNIST", "BlankettSupport"]),
        .testTarget(name: "FieldRulesTests", dependencies: ["FieldRules", "BlankettSupport", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "PageImageTests", dependencies: ["PageImage", "BlankettSupport"]),
        .testTarget(name: "PrintedTextTests", dependencies: ["PrintedText", "BlankettSupport"]),
        .testTarget(name: "FormReaderTests", dependencies: ["FormReader", "FormTemplate", "FieldRules", "ConvNet", "BlankettSupport", "PageImage",
                                                            .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "FormTemplateTests", dependencies: ["FormTemplate", "BlankettSupport"]),
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "FormReader", "FormTemplate", "FieldRules", "ConvNet",
                                                         "PageImage", "WorkQueue", "QueueStores", "BlankettSupport"]),
        // The tests' own throwaway PostgreSQL server (initdb in a temporary folder, a loopback port).
        .target(name: "PostgresTestServer", dependencies: ["WorkQueue"], path: "Tests/PostgresTestServer"),
        .testTarget(name: "WorkQueueTests", dependencies: ["WorkQueue", "QueueStores", "PostgresQueue", "PostgresTestServer",
                                                          "BlankettSupport", .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "BlankettTestSupport", path: "Tests/Support"),
        .testTarget(name: "WatchTests", dependencies: ["BlankettTestSupport", "Watch", "WorkQueue", "QueueStores", "PostgresTestServer",
                                                      "BlankettSupport", "FieldRules", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "BlankettSupport", "PageImage", "FormTemplate"]),
        .testTarget(name: "ScanCellsTests", dependencies: ["BlankettTestSupport", "ScanCells", "Synth", "ConvNet", "PageImage", "BlankettSupport"]),
        .testTarget(name: "DigitTrainingTests", dependencies: ["BlankettTestSupport", "DigitTraining", "ConvNet", "BlankettSupport"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "BlankettSupport"]),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["FuzzTargets"]),
        .testTarget(name: "VerificationTests", dependencies: ["BlankettTestSupport", "Verification", "FieldRules", "FormTemplate", "BlankettSupport"]),
        .testTarget(name: "VerifyStationTests", dependencies: ["BlankettTestSupport", "VerifyStation", "Verification", "WorkQueue", "BlankettSupport", "FormTemplate",
                                                              .product(name: "Hummingbird", package: "hummingbird"),
                                                              .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                              .product(name: "HTTPTypes", package: "swift-http-types")]),
        .testTarget(name: "VerifyBrowserTests", dependencies: ["BlankettTestSupport", "WorkQueue", "BlankettSupport"]),
    ]
)

// The libFuzzer harness exists only when benchmarks/fuzz.sh asks for it: it calls libFuzzer's
// driver, which only a -sanitize=fuzzer link provides.
if Context.environment["BLANKETT_FUZZ"] == "1" {
    package.targets += [
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(name: "fuzz-blankett", dependencies: ["FuzzTargets", "CLibFuzzer"], path: "Fuzz/Harness"),
    ]
}
