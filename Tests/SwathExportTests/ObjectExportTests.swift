import Foundation
import Testing
import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport
import SwathTiling

/// Exports to and from S3 (moto's server on loopback), and sharded exports.
@Suite(.serialized) struct ObjectExportTests {
    static let secret = "an-operator-secret-of-thirty-two-or-more-characters"

    /// Every file under `folder` by its relative path, bytes and all.
    private func files(_ folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return found }
        for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            found[String(url.path.dropFirst(folder.path.count + 1))] = try Data(contentsOf: url)
        }
        return found
    }

    private func export(_ world: ExportWorld, to objects: ObjectPrefix? = nil, folder: String = "out",
                        _ configure: (inout ExportOptions) throws -> Void = { _ in }) async throws -> ExportReport {
        var options = ExportOptions()
        options.chipSize = 100
        options.backgroundRatio = 1
        options.pseudonymSecret = Self.secret
        try configure(&options)
        let exporter = if let objects {
            Exporter(service: world.service, projectId: world.projectId, objects: objects, options: options)
        } else {
            Exporter(service: world.service, projectId: world.projectId, outDir: world.directory.url.appendingPathComponent(folder), options: options)
        }
        return try await exporter.run(by: world.trainer)
    }

    /// A scene in S3 exported to S3 gives the files of the same export to disk, byte for byte.
    @Test func anExportFromS3ToS3EqualsTheLocalOne() async throws {
        let s3 = try MotoS3.forThisProcess()
        try s3.put(Fixture.path("utm_multiband.tif"), bucket: "export-scenes", key: "utm.tif")
        let world = try await ExportWorld.make(scenePath: "s3://export-scenes/utm.tif")
        let remote = try await export(world, to: try #require(try ObjectPrefix.parse("s3://export-scenes/chips/owl/")))
        let local = try await export(world, folder: "local")
        #expect(remote.chipsWritten == 6 && local.chipsWritten == 6)  // 256 × 192 pixels in 100-pixel chips: 3 × 2
        #expect(remote.summary.contains("→ s3://export-scenes/chips/owl/"))
        let downloaded = world.directory.url.appendingPathComponent("downloaded")
        try s3.get(bucket: "export-scenes", prefix: "chips/owl/", into: downloaded.path)
        let ours = try files(downloaded), theirs = try files(world.directory.url.appendingPathComponent("local"))
        #expect(ours.keys.sorted() == theirs.keys.sorted())
        #expect(theirs.keys.contains("manifest.jsonl") && theirs.keys.contains("catalog.json"))
        for (name, bytes) in theirs { #expect(ours[name] == bytes, "\(name)") }
    }

    /// Three shards, at once, into one S3 prefix and into one folder: the files of one run,
    /// the manifest written once every chip is there (by the last to finish).
    @Test func threeShardsAtOnceGiveOneExport() async throws {
        _ = try MotoS3.forThisProcess()
        let world = try await ExportWorld.make()
        _ = try await export(world, folder: "whole")
        let reports = try await withThrowingTaskGroup(of: ExportReport.self) { group in
            for index in 0..<3 {
                group.addTask {
                    try await export(world, folder: "sharded") { $0.shard = try TileShard(index: index, count: 3); $0.threads = 1 }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reports.contains { $0.manifestWritten })
        let written = reports.reduce(0) { $0 + $1.chipsWritten }
        let chips = reports[0].chipsBySplit.values.reduce(0, +)
        #expect(written == 6 && chips == 6)  // 3 × 2 chips of 100 pixels, each written by exactly one shard
        let whole = try files(world.directory.url.appendingPathComponent("whole"))
        #expect(try files(world.directory.url.appendingPathComponent("sharded")) == whole)

        let prefix = try #require(try ObjectPrefix.parse("s3://export-shards/owl/"))
        try MotoS3.forThisProcess().put(Fixture.path("utm_multiband.tif"), bucket: "export-shards", key: "unused.tif")
        for index in [2, 0, 1] {  // one after another, in any order: only the last writes the manifest
            let report = try await export(world, to: prefix) { $0.shard = try TileShard(index: index, count: 3) }
            #expect(report.manifestWritten == (index == 1), "\(report.summary)")
        }
        let downloaded = world.directory.url.appendingPathComponent("downloaded")
        try MotoS3.forThisProcess().get(bucket: "export-shards", prefix: "owl/", into: downloaded.path)
        #expect(try files(downloaded) == whole)
    }

    /// A sharded export without the operator's secret, or with a short one, is refused before any
    /// work, naming the variable, never the value.
    @Test func shardsNeedTheOperatorsSecret() async throws {
        let world = try await ExportWorld.make(accept: false)
        do {
            _ = try await export(world, folder: "refused") { $0.shard = try TileShard(index: 0, count: 2); $0.pseudonymSecret = nil }
            Issue.record("a sharded export without a secret ran")
        } catch let error as ExportError {
            #expect(error.description.contains("needs SWATH_EXPORT_KEY"), "\(error)")
        }
        do {
            _ = try await export(world, folder: "refused") { $0.pseudonymSecret = "short-secret-value" }
            Issue.record("a short secret was taken")
        } catch let error as ExportError {
            #expect(error.description.contains("SWATH_EXPORT_KEY: must be a secret of 32 characters or more"), "\(error)")
            #expect(!error.description.contains("short-secret-value"))
        }
        #expect(!FileManager.default.fileExists(atPath: world.directory.file("refused")))
    }
}
