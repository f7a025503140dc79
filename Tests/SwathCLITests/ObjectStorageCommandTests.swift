import Foundation
import Testing
import SwathGeo
import SwathTestSupport

/// Scenes in S3 (moto's server on loopback): read as GDAL reads any object, by the AWS SDK's variables.
@Suite(.serialized) struct ObjectStorageCommandTests {
    private func swath(_ s3: MotoS3, _ arguments: [String], endpoint: String? = nil) throws -> ShellResult {
        var environment = s3.environment
        if let endpoint { environment = environment.filter { !$0.hasPrefix("AWS_ENDPOINT_URL=") } + ["AWS_ENDPOINT_URL=\(endpoint)"] }
        return try Shell.run("/usr/bin/env", environment + [Fixture.swathBinary] + arguments)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// `info` and `tile` of an s3:// scene give what they give for the same file on disk.
    @Test func aSceneInS3ReadsAsTheSameFileOnDisk() throws {
        let s3 = try MotoS3()
        let scene = Fixture.path("utm_multiband.tif")
        try s3.put(scene, bucket: "scenes", key: "west/utm_multiband.tif")
        let dir = try TemporaryDirectory("s3-read")

        let remote = try swath(s3, ["info", "--json", "s3://scenes/west/utm_multiband.tif"])
        let local = try Shell.run(Fixture.swathBinary, ["info", "--json", scene])
        #expect(remote.status == 0 && local.status == 0, "\(remote.stderr)")
        var remoteInfo = try json(remote.stdout), localInfo = try json(local.stdout)
        for key in ["path", "files", "file"] { remoteInfo[key] = nil; localInfo[key] = nil }
        #expect(NSDictionary(dictionary: remoteInfo) == NSDictionary(dictionary: localInfo))

        let tiled = try swath(s3, ["tile", "s3://scenes/west/utm_multiband.tif", "--size", "32", "--out", dir.file("remote")])
        #expect(tiled.status == 0, "\(tiled.stderr)")
        #expect(try Shell.run(Fixture.swathBinary, ["tile", scene, "--size", "32", "--out", dir.file("local")]).status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.file("local")).filter { $0.hasSuffix(".tif") }.sorted()
        #expect(names.count == 48)
        for name in names {
            let ours = try Data(contentsOf: URL(fileURLWithPath: dir.file("remote") + "/" + name))
            #expect(ours == (try Data(contentsOf: URL(fileURLWithPath: dir.file("local") + "/" + name))), "\(name)")
        }
        let remoteIndex = try json(String(contentsOfFile: dir.file("remote") + "/index.geojson", encoding: .utf8))
        let localIndex = try json(String(contentsOfFile: dir.file("local") + "/index.geojson", encoding: .utf8))
        #expect(NSArray(array: remoteIndex["features"] as? [Any] ?? []) == NSArray(array: localIndex["features"] as? [Any] ?? []))
    }

    /// Each fault is one line naming the URI (or the variable) and why, exit 1, and never the secret.
    @Test func faultsAreOneLineNamingTheURI() throws {
        let s3 = try MotoS3()
        try s3.put(Fixture.path("utm_multiband.tif"), bucket: "scenes", key: "utm.tif")
        let closedPort: Int = try {
            let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(probe) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) } }
            _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(probe, $0, &length) } }
            let port = Int(UInt16(bigEndian: address.sin_port))
            guard port > 0 else { throw MotoS3Error("no free port") }
            return port
        }()
        let cases: [([String], String?, [String])] = [
            (["info", "s3://scenes/missing.tif"], nil, ["s3://scenes/missing.tif", "key does not exist"]),
            (["info", "s3://no-such-bucket/utm.tif"], nil, ["s3://no-such-bucket/utm.tif", "bucket does not exist"]),
            (["tile", "s3://scenes/utm.tif", "--out", "/tmp/unused"], "http://127.0.0.1:\(closedPort)", ["s3://scenes/utm.tif", "connect"]),
            (["info", "s3://scenes/utm.tif"], "ftp://127.0.0.1", ["AWS_ENDPOINT_URL", "'ftp://127.0.0.1'", "not an endpoint URL"]),
        ]
        for (arguments, endpoint, expected) in cases {
            let result = try swath(s3, arguments, endpoint: endpoint)
            let lines = errorLines(result)
            #expect(result.status == 1 && lines.count == 1, "\(arguments): \(result.status) \(lines)")
            #expect(expected.allSatisfy { lines.first?.contains($0) == true }, "\(arguments): \(lines)")
            #expect(!result.stderr.contains(MotoS3.secret) && !result.stdout.contains(MotoS3.secret))
        }
    }

    /// Reading is by range requests: a small window of a 32 MB tiled scene costs its blocks, not the
    /// object, by the count of body bytes the S3 server sent.
    @Test func aWindowOfALargeSceneFetchesASmallShareOfTheObject() throws {
        // This process reads it itself, configured as the CLI is: the SDK's variables, then the mapping.
        let s3 = try MotoS3.forThisProcess()
        let dir = try TemporaryDirectory("s3-range")
        let path = dir.file("large.tif")
        try makeNoisyScene(at: path, size: 2048)  // 4 bands of UInt16 in 256-pixel blocks: noise does not compress
        try s3.put(path, bucket: "scenes", key: "large.tif")
        let objectBytes = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(objectBytes > 30_000_000)
        let window = Window(col: 1030, row: 1030, width: 64, height: 64)  // inside one 256 × 256 block (1024…1279)
        let remote: [UInt16] = try Raster.open("s3://scenes/large.tif").read(window)
        let local: [UInt16] = try Raster.open(path).read(window)
        #expect(remote == local && remote.count == 64 * 64 * 4)
        let served = try s3.servedBytes("/scenes/large.tif")
        #expect(served > 0 && served < objectBytes / 20, "\(served) of \(objectBytes) bytes fetched for a 64 × 64 window")
    }
}
