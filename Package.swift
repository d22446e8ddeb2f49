// swift-tools-version:6.1
import CompilerPluginSupport
import PackageDescription

// The client products (`lms`) never depend on the server stack: only LMSServer and
// lms-server pull in Vapor and Fluent, so `swift build --product lms` stays fast.
let package = Package(
    name: "lms",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "LMSKit", targets: ["LMSKit"]),
        .library(name: "LMSServer", targets: ["LMSServer"]),
        .library(name: "LMSClient", targets: ["LMSClient"]),
        .executable(name: "lms-server", targets: ["lms-server"]),
        .executable(name: "lms", targets: ["lms"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax.git", from: "603.0.1"),
    ],
    targets: [
        // `@Record`: a model's fields declared once (see LMSKit/Support/Record.swift).
        .macro(
            name: "LMSMacros",
            dependencies: [
                .product(name: "SwiftSyntaxMacros", package: "swift-syntax"),
                .product(name: "SwiftCompilerPlugin", package: "swift-syntax"),
            ]
        ),
        .target(name: "LMSKit", dependencies: ["LMSMacros"]),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "LMSClient",
            dependencies: ["LMSKit", "CCurl", .product(name: "Logging", package: "swift-log"), .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "LMSServer",
            dependencies: [
                "LMSKit",
                "CCurl",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "lms-server",
            dependencies: [
                "LMSServer", "LMSKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TerminalUI",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // No pkgConfig: ncursesw.pc adds -D_XOPEN_SOURCE=600, which SwiftPM rejects with a
        // warning; the shim defines what it needs itself.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "CursesBackend", dependencies: ["CNcurses", "TerminalUI"]),
        .target(name: "LearnerApp", dependencies: ["LMSKit", "LMSClient", "TerminalUI"]),
        .executableTarget(
            name: "lms",
            dependencies: [
                "LMSKit", "LMSClient", "TerminalUI", "CursesBackend", "LearnerApp", .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers for the scripts under scripts/bench/; not shipped.
        .executableTarget(name: "lms-bench", dependencies: ["LMSClient", "LMSKit", "LearnerApp", "TerminalUI"]),
        // What the test targets share: the in-process server, test homes, the demo fixture and
        // the checkers. Never shipped.
        .target(
            name: "LMSTestSupport",
            dependencies: [
                "LMSKit", "LMSClient", "LMSServer", "LearnerApp", "TerminalUI",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Tests/LMSTestSupport"
        ),
        .testTarget(
            name: "LMSKitTests",
            dependencies: [
                "LMSKit",
                "LMSTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "LMSClientTests",
            dependencies: ["LMSClient", "LMSKit", "LMSServer", "LMSTestSupport", "lms"]
        ),
        .testTarget(
            name: "LMSServerTests",
            dependencies: [
                "LMSServer",
                "LMSKit",
                "LMSTestSupport",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "CursesBackend", "LMSTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LearnerAppTests", dependencies: ["LearnerApp", "TerminalUI", "LMSClient", "LMSKit", "LMSServer", "LMSTestSupport"], resources: [.copy("Golden")]),
    ],
    swiftLanguageModes: [.v6]
)
