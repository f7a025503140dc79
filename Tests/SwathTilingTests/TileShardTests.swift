import Foundation
import Testing
import SwathGeo
import SwathTestSupport
@testable import SwathTiling

@Suite struct TileShardTests {
    private let scene = Fixture.path("utm_multiband.tif")  // 48 tiles of 32 pixels

    private func options(shard: TileShard? = nil, size: Int = 32) -> TileOptions {
        var options = TileOptions()
        options.size = size
        options.threads = 1
        options.shard = shard
        return options
    }

    private func shard(_ index: Int, of count: Int) throws -> TileShard { try TileShard(index: index, count: count) }

    private func files(_ dir: TemporaryDirectory) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.url.path) where !name.hasPrefix(".") {
            found[name] = try Data(contentsOf: dir.url.appendingPathComponent(name))
        }
        return found
    }

    /// Every tile belongs to exactly one shard, whole rows are dealt out in turn (a grid with fewer rows
    /// than shards deals single tiles), and no shard has more than a row more than another.
    @Test(arguments: [(0, 0), (1, 1), (1, 7), (6, 8), (22, 22), (3, 1_000), (997, 1_003)])
    func shardsDealOutWholeRowsInTurn(rows: Int, cols: Int) throws {
        for count in [1, 2, 3, 7, 16] {
            let parts = try (0..<count).map { try shard($0, of: count) }
            var owners = [Int](repeating: 0, count: rows * cols)
            for part in parts { for tile in part.tiles(rows: rows, cols: cols) { owners[tile] += 1 } }
            #expect(owners.allSatisfy { $0 == 1 }, "\(rows) × \(cols) in \(count): a tile with no shard or two")
            let sizes = parts.map { $0.tiles(rows: rows, cols: cols).count }
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= (rows >= count ? cols : 1), "\(sizes)")
            if rows >= count, rows > 0, cols > 1 {
                // Rows stay whole: a tile's neighbour along the row is in the same shard.
                #expect(parts.allSatisfy { part in part.tiles(rows: rows, cols: cols).allSatisfy { $0 % cols == cols - 1
                    || part.owns($0 + 1, rows: rows, cols: cols) } })
                #expect(try shard(1 % count, of: count).owns(cols * (1 % count), rows: rows, cols: cols), "row r goes to shard r mod N")
            }
        }
    }

    @Test func shardsAreParsedOrRefusedWithTheReason() throws {
        #expect(try TileShard(parsing: "2/3") == shard(2, of: 3))
        let refusals: [(String, String)] = [
            ("3/3", "shards count from 0 to 2"), ("0/0", "0 shards"), ("a/b", "is not I/N"), ("1", "is not I/N"),
            ("1/2/3", "is not I/N"), ("0/20000", "give 1 to 10000"), ("-1/2", "shards count from 0 to 1"),
        ]
        for (text, reason) in refusals {
            #expect { try TileShard(parsing: text) } throws: { "\($0)".contains("--shard") && "\($0)".contains(reason) }
        }
        #expect(try TileShard.requested(shard: nil, shards: nil, environment: ["JOB_COMPLETION_INDEX": "1"]) == nil)
        #expect(try TileShard.requested(shard: nil, shards: 3, environment: ["JOB_COMPLETION_INDEX": "1"]) == shard(1, of: 3))
        #expect(try TileShard.requested(shard: nil, shards: 3, environment: ["AWS_BATCH_JOB_ARRAY_INDEX": "2"]) == shard(2, of: 3))
        #expect(try TileShard.requested(shard: nil, shards: 3,
                                        environment: ["JOB_COMPLETION_INDEX": "2", "AWS_BATCH_JOB_ARRAY_INDEX": "2"]) == shard(2, of: 3))
        let environments: [([String: String], String)] = [
            ([:], "neither is set"), (["JOB_COMPLETION_INDEX": "x"], "is 'x', not a shard index"),
            (["JOB_COMPLETION_INDEX": "3"], "shards count from 0 to 2"),
            (["JOB_COMPLETION_INDEX": "0", "AWS_BATCH_JOB_ARRAY_INDEX": "1"], "which shard is this"),
        ]
        for (environment, reason) in environments {
            #expect { try TileShard.requested(shard: nil, shards: 3, environment: environment) } throws: { "\($0)".contains(reason) }
        }
        #expect { try TileShard.requested(shard: "0/3", shards: 3, environment: [:]) } throws: { "\($0)".contains("not both") }
    }

    /// Three shards at once into one folder: the same tiles, byte for byte, and the same index as one run.
    @Test func threeShardsAtOnceMakeWhatOneRunMakes() async throws {
        let whole = try TemporaryDirectory()
        _ = try Tiler(source: scene, outDir: whole.url, options: options()).run()
        let sharded = try TemporaryDirectory()
        let reports = try await withThrowingTaskGroup(of: TileReport.self) { group in
            for index in 0..<3 {
                let options = options(shard: try shard(index, of: 3))
                group.addTask { try Tiler(source: scene, outDir: sharded.url, options: options).run() }
            }
            return try await group.reduce(into: [TileReport]()) { $0.append($1) }
        }
        #expect(reports.map(\.written).reduce(0, +) == 48 && reports.allSatisfy { $0.shardTiles == 16 })
        #expect(reports.contains { $0.indexWritten }, "the last shard to finish writes the index")
        let expected = try files(whole)
        #expect(expected.count == 49 && expected["index.geojson"] != nil)
        #expect(try files(sharded) == expected)
    }

    /// A shard stopped halfway is run again and finishes the job; until then nobody writes an index.
    @Test func aKilledShardRunAgainFinishesTheJob() throws {
        let whole = try TemporaryDirectory()
        _ = try Tiler(source: scene, outDir: whole.url, options: options()).run()
        let dir = try TemporaryDirectory()
        let cancellation = CancellationFlag()
        #expect {
            try Tiler(source: scene, outDir: dir.url, options: options(shard: try shard(1, of: 3))).run(cancellation: cancellation) {
                if $0.completed >= 5 { cancellation.cancel() }
            }
        } throws: { "\($0)".contains("shard 1/3") && "\($0)".contains("run the shard again") }
        for index in [0, 2] {
            let report = try Tiler(source: scene, outDir: dir.url, options: options(shard: try shard(index, of: 3))).run()
            #expect(!report.indexWritten && report.written == 16)
        }
        #expect(try files(dir)["index.geojson"] == nil, "no index while a shard is unfinished")
        let rerun = try Tiler(source: scene, outDir: dir.url, options: options(shard: try shard(1, of: 3))).run()
        #expect(rerun.indexWritten && rerun.resumed >= 5 && rerun.resumed + rerun.written == 16)
        #expect(try files(dir) == files(whole))
    }

    /// Shards of one job must agree: one made with other options stops the shard that would finish the job.
    @Test func shardsWithOtherOptionsAreRefused() throws {
        let dir = try TemporaryDirectory()
        _ = try Tiler(source: scene, outDir: dir.url, options: options(shard: try shard(0, of: 2), size: 16)).run()
        #expect {
            try Tiler(source: scene, outDir: dir.url, options: options(shard: try shard(1, of: 2))).run()
        } throws: { "\($0)".contains("shard-0-of-2") && "\($0)".contains("same scene with the same options") }
    }

    /// A shard clears its own leftover temporaries and none of the other shards'.
    @Test func aShardClearsOnlyItsOwnTemporaries() throws {
        let dir = try TemporaryDirectory()
        let plan = try TilePlan(raster: try Raster.open(scene), options: options())
        let writer = TileFileWriter(sink: FolderSink(folder: dir.url), options: options(), metadata: plan.metadata)
        let mine = URL(fileURLWithPath: TileFileWriter.temporaryPath(in: dir.url, name: writer.fileName(plan.grid.tile(at: 3))))     // row 0 of 8 × 6: shard 0 of 3
        let theirs = URL(fileURLWithPath: TileFileWriter.temporaryPath(in: dir.url, name: writer.fileName(plan.grid.tile(at: 20))))  // row 2: shard 2 of 3
        for url in [mine, theirs] { try Data("half a tile".utf8).write(to: url) }
        _ = try Tiler(source: scene, outDir: dir.url, options: options(shard: try shard(0, of: 3))).run()
        #expect(!FileManager.default.fileExists(atPath: mine.path))
        #expect(FileManager.default.fileExists(atPath: theirs.path))
    }
}
