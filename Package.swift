// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Swath",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swath", targets: ["swath"]),
        .library(name: "SwathGeo", targets: ["SwathGeo"]),
        .library(name: "SwathTiling", targets: ["SwathTiling"]),
        .library(name: "SwathLabels", targets: ["SwathLabels"]),
        .library(name: "SwathServer", targets: ["SwathServer"]),
        .library(name: "SwathExport", targets: ["SwathExport"]),
        .library(name: "SwathMap", targets: ["SwathMap"]),
        .library(name: "SwathWildfire", targets: ["SwathWildfire"]),
        .library(name: "SwathQuality", targets: ["SwathQuality"]),
        .library(name: "SwathSimulation", targets: ["SwathSimulation"]),
        .library(name: "SwathJobs", targets: ["SwathJobs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CGDAL",
            pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev"])]
        ),
        .systemLibrary(
            name: "CPROJ",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        // libdeflate (a GDAL dependency): fast DEFLATE for map tile PNGs.
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // XGBoost's C API (Debian's libxgboost-dev): the pixel classifier's gradient-boosted trees.
        .systemLibrary(
            name: "CXGBoost",
            pkgConfig: "xgboost",
            providers: [.apt(["libxgboost-dev"])]
        ),
        .target(name: "SwathGeo", dependencies: ["CGDAL", "CPROJ", "CDeflate"]),
        .target(name: "SwathTiling", dependencies: ["SwathGeo"]),
        .target(name: "SwathMap", dependencies: ["SwathGeo", "CGDAL"]),
        .target(name: "SwathWildfire", dependencies: ["SwathGeo", "SwathTiling"]),
        // Wildfire-spread datasets: weather drivers, next-step targets and sequences per fire.
        .target(name: "SwathSpread", dependencies: ["SwathGeo", "SwathWildfire"]),
        .target(name: "SwathQuality", dependencies: ["SwathGeo"]),
        .target(name: "SwathSimulation", dependencies: ["SwathLabels", "SwathQuality", "SwathGeo", "SwathModel",
                                                        // The payroll benchmark fills a million-entry ledger with one SQL statement.
                                                        .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "SwathLabels",
            dependencies: [
                "SwathGeo",
                "SwathTiling",
                "SwathQuality",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "SwathExport",
            dependencies: ["SwathLabels", "SwathTiling", "SwathGeo", "SwathWildfire", "SwathSpread", "SwathQuality",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The labeling model: pre-labels drafted from the imagery (burn scars from dNBR),
        // and a pixel classifier (XGBoost) trained on the project's accepted labels.
        .target(name: "SwathModel", dependencies: ["SwathExport", "SwathLabels", "SwathWildfire", "SwathGeo", "CXGBoost",
                                                   .product(name: "Crypto", package: "swift-crypto")]),
        // Heavy work as jobs: exports asked for over HTTP, run by `swath worker` or inside `swath serve`.
        .target(
            name: "SwathJobs",
            dependencies: [
                "SwathExport",
                "SwathMap",
                "SwathWildfire",
                "SwathLabels",
                "SwathGeo",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SwathServer",
            dependencies: [
                "SwathLabels",
                "SwathExport",
                "SwathModel",
                "SwathGeo",
                "SwathMap",
                "SwathQuality",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/web")]
        ),
        .executableTarget(
            name: "swath",
            dependencies: [
                "SwathGeo",
                "SwathTiling",
                "SwathLabels",
                "SwathServer",
                "SwathExport",
                "SwathJobs",
                "SwathModel",
                "SwathWildfire",
                "SwathSpread",
                "SwathSimulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The API load generator behind `make bench-api` (not part of the product).
        .executableTarget(
            name: "swath-bench",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "bench/swath-bench",
            swiftSettings: [.swiftLanguageMode(.v5)]  // a throwaway tool passing JSON dictionaries between tasks
        ),
        // Helpers shared by the test targets: fixtures, temporary folders, and
        // GDAL's and PROJ's own command-line tools as independent references.
        .target(name: "SwathTestSupport", dependencies: ["SwathGeo"], path: "Tests/SwathTestSupport"),
        .testTarget(name: "SwathGeoTests", dependencies: ["SwathGeo", "SwathTestSupport"]),
        .testTarget(name: "SwathTilingTests", dependencies: ["SwathTiling", "SwathGeo", "SwathTestSupport"]),
        .testTarget(name: "SwathExportTests", dependencies: ["SwathExport", "SwathLabels", "SwathGeo", "SwathTiling", "SwathTestSupport"]),
        .testTarget(name: "SwathModelTests", dependencies: ["SwathModel", "SwathExport", "SwathLabels", "SwathGeo", "SwathSimulation",
                                                          "SwathTestSupport"]),
        .testTarget(name: "SwathLabelsTests", dependencies: ["SwathLabels", "SwathGeo", "SwathTestSupport"]),
        // The in-process server world both server test targets use.
        .target(
            name: "SwathServerTestSupport",
            dependencies: [
                "SwathServer", "SwathLabels", "SwathGeo", "SwathTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            path: "Tests/SwathServerTestSupport"
        ),
        .testTarget(
            name: "SwathServerTests",
            dependencies: [
                "SwathServer", "SwathLabels", "SwathGeo", "SwathJobs", "SwathExport", "SwathWildfire", "SwathSpread", "SwathTestSupport", "SwathServerTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // Attacks a hostile member could try, each with its expected refusal.
        .testTarget(
            name: "SwathAdversarialTests",
            dependencies: [
                "SwathServer", "SwathLabels", "SwathGeo", "SwathTestSupport", "SwathServerTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "SwathQualityTests", dependencies: ["SwathQuality", "SwathGeo"]),
        .testTarget(name: "SwathSimulationTests", dependencies: ["SwathSimulation", "SwathLabels", "SwathGeo", "SwathTestSupport"]),
        .testTarget(name: "SwathWildfireTests", dependencies: ["SwathWildfire", "SwathGeo", "SwathTestSupport"]),
        .testTarget(name: "SwathSpreadTests", dependencies: ["SwathSpread", "SwathGeo", "SwathTestSupport"]),
        .testTarget(name: "SwathMapTests", dependencies: ["SwathMap", "SwathGeo", "SwathTestSupport"]),
        .testTarget(name: "SwathCLITests", dependencies: ["SwathGeo", "SwathTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
