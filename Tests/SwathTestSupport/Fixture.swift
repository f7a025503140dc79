import Foundation

/// Paths to the committed fixtures in `Fixtures/` and to the repository.
public enum Fixture {
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ name: String) -> String {
        repository.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// The `swath` executable under test: $SWATH_BIN, else the debug build.
    public static var swathBinary: String {
        ProcessInfo.processInfo.environment["SWATH_BIN"]
            ?? repository.appendingPathComponent(".build/debug/swath").path
    }
}
