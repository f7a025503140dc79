import Foundation
import SwathGeo
import Synchronization

/// A throw-away S3 API for a test: moto's server on loopback and a free port
/// (`Tests/support/moto_s3.py`), stopped when the value goes away. GDAL talks
/// to it over HTTP as to any S3-compatible store.
public final class MotoS3: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`.
    public let endpoint: String
    private let process: Process
    private let stdin: Pipe

    /// A secret no output may ever show.
    public static let secret = "swath-test-secret-never-printed"

    static var script: String { Fixture.repository.appendingPathComponent("Tests/support/moto_s3.py").path }

    public init() throws {
        let urlFile = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(UUID().uuidString).url").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "serve", "--url-file", urlFile]
        stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: urlFile) {
            guard process.isRunning, Date() < deadline else {
                process.terminate()
                throw MotoS3Error("moto's S3 server did not start (is moto[server] in the venv? make deps)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        endpoint = try String(contentsOfFile: urlFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try? FileManager.default.removeItem(atPath: urlFile)
    }

    deinit { stop() }

    private static let shared = Mutex<MotoS3?>(nil)

    /// One server for every test that reads or writes S3 from inside the test process:
    /// GDAL's endpoint and credentials are process-wide, so two servers would clash.
    /// Started on first use, with this process configured for it as the CLI configures
    /// itself (the SDK's variables, then `ObjectStorage.configure`); it ends with the process.
    public static func forThisProcess() throws -> MotoS3 {
        try shared.withLock { shared in
            if let shared { return shared }
            let s3 = try MotoS3()
            for pair in s3.environment {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                setenv(parts[0], parts[1], 1)
            }
            try ObjectStorage.configure()
            shared = s3
            return s3
        }
    }

    /// Closing its stdin ends the server; waits for it.
    public func stop() {
        try? stdin.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
    }

    /// Uploads `file` as `s3://bucket/key`, making the bucket when missing.
    public func put(_ file: String, bucket: String, key: String) throws {
        let result = try Shell.run("python3", [Self.script, "put", endpoint, bucket, key, file])
        guard result.status == 0 else { throw MotoS3Error("upload of \(file) failed: \(result.stderr)") }
    }

    /// Downloads every object under `s3://bucket/prefix` into `folder`, by key relative to the prefix.
    public func get(bucket: String, prefix: String, into folder: String) throws {
        let result = try Shell.run("python3", [Self.script, "get", endpoint, bucket, prefix, folder])
        guard result.status == 0 else { throw MotoS3Error("download of s3://\(bucket)/\(prefix) failed: \(result.stderr)") }
    }

    /// Makes the next `count` `method` requests whose path contains `contains` fail:
    /// `kind` "status" (S3's 500), "drop" (connection cut mid-body) or "hang" (`seconds` late).
    public func fail(_ method: String, contains: String, count: Int, kind: String, seconds: Double = 60) throws {
        let rule = "{\"method\":\"\(method)\",\"contains\":\"\(contains)\",\"count\":\(count),\"kind\":\"\(kind)\",\"seconds\":\(seconds)}"
        let result = try Shell.run("curl", ["-s", "-f", "--max-time", "10", "-X", "POST", "--data", rule, endpoint + "/__faults"])
        guard result.status == 0 else { throw MotoS3Error("cannot set a fault: \(result.stderr)") }
    }

    /// How many of the failures asked for are still to come.
    public func faultsLeft() throws -> Int {
        let result = try Shell.run("curl", ["-s", "-f", "--max-time", "10", endpoint + "/__faults"])
        guard result.status == 0, let left = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw MotoS3Error("cannot read the fault counter: \(result.stderr)")
        }
        return left
    }

    /// The body bytes the server has sent for GETs of `path` (`/bucket/key`): what readers fetched.
    public func servedBytes(_ path: String) throws -> Int {
        let result = try Shell.run("curl", ["-s", "--max-time", "10", endpoint + "/__served"])
        guard result.status == 0, let counts = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Int] else {
            throw MotoS3Error("cannot read the served-bytes counter: \(result.stderr)")
        }
        return counts[path] ?? 0
    }

    /// The AWS SDK's variables pointing at this server, as `env` arguments.
    public var environment: [String] {
        ["AWS_ENDPOINT_URL=\(endpoint)", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=\(Self.secret)", "AWS_REGION=us-east-1"]
    }
}

public struct MotoS3Error: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
