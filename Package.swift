// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Swath",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swath", targets: ["swath"]),
        .library(name: "SwathGeo", targets: ["SwathGeo"]),
        .library(name: "SwathTiling", targets: ["SwathTiling"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
        .target(name: "SwathGeo", dependencies: ["CGDAL", "CPROJ"]),
        .target(name: "SwathTiling", dependencies: ["SwathGeo"]),
        .executableTarget(
            name: "swath",
            dependencies: [
                "SwathGeo",
                "SwathTiling",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test targets: fixtures, temporary folders, and
        // GDAL's and PROJ's own command-line tools as independent references.
        .target(name: "SwathTestSupport", dependencies: ["SwathGeo"], path: "Tests/SwathTestSupport"),
        .testTarget(name: "SwathGeoTests", dependencies: ["SwathGeo", "SwathTestSupport"]),
        .testTarget(name: "SwathTilingTests", dependencies: ["SwathTiling", "SwathGeo", "SwathTestSupport"]),
        .testTarget(name: "SwathCLITests", dependencies: ["SwathGeo", "SwathTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
