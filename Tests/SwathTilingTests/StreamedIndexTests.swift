import Foundation
import Testing
import SwathGeo
import SwathTestSupport
@testable import SwathTiling

/// A sparse scene whose written blocks are known: every feature of the
/// streamed index is checked against values worked out here from the grid
/// arithmetic, the written blocks and PROJ's cs2cs, and an interrupted run
/// resumes to the same bytes.
@Suite struct StreamedIndexTests {
    /// 6050 × 4030 pixels in 128-pixel blocks (48 × 32, the last ones cut
    /// short), 2 m UTM 33N, nodata 0; only `blocks` hold data (never 0).
    struct SparseScene {
        static let width = 6050, height = 4030, block = 128, tile = 100
        static let origin = (x: 300_000.0, y: 5_000_000.0), pixel = 2.0
        static let blocks = [(0, 0), (10, 5), (23, 17), (30, 2), (5, 25), (47, 0), (0, 31), (47, 31), (24, 17)]
        let path: String

        init(in dir: TemporaryDirectory) throws {
            path = dir.file("sparse.tif")
            let raster = try Raster.create(path, driver: "GTiff", size: Size(width: Self.width, height: Self.height), bandCount: 1,
                                           dataType: .byte, options: ["TILED=YES", "BLOCKXSIZE=\(Self.block)",
                                                                      "BLOCKYSIZE=\(Self.block)", "SPARSE_OK=TRUE", "COMPRESS=DEFLATE"])
            try raster.setGeoTransform(GeoTransform([Self.origin.x, Self.pixel, 0, Self.origin.y, 0, -Self.pixel]))
            try raster.setCRS(CRS("EPSG:32633"))
            try raster.setBandMetadata(1, noData: 0, description: "", colorInterpretation: "Gray")
            for window in Self.blockWindows {
                let values = (0..<(window.width * window.height)).map { UInt8(1 + $0 % 251) }
                try raster.write(values, window: window)
            }
            try raster.close()
        }

        /// The written blocks' pixels, cut at the scene's edge.
        static var blockWindows: [Window] {
            blocks.map { col, row in
                Window(col: col * block, row: row * block, width: min(block, width - col * block), height: min(block, height - row * block))
            }
        }

        /// Data pixels inside a scene window: its overlap with the written blocks.
        static func dataPixels(x: Int, y: Int, width: Int, height: Int) -> Int {
            blockWindows.reduce(0) { sum, block in
                let w = min(x + width, block.col + block.width) - max(x, block.col)
                let h = min(y + height, block.row + block.height) - max(y, block.row)
                return sum + max(0, w) * max(0, h)
            }
        }
    }

    private func options(_ configure: (inout TileOptions) -> Void = { _ in }) -> TileOptions {
        var options = TileOptions()
        options.size = SparseScene.tile
        options.skipEmpty = true
        options.threads = 2
        configure(&options)
        return options
    }

    @Test func everyFeatureMatchesTheGridTheBlocksAndPROJ() throws {
        let dir = try TemporaryDirectory()
        let scene = try SparseScene(in: dir)
        let out = dir.url.appendingPathComponent("tiles")
        let report = try Tiler(source: scene.path, outDir: out, options: options()).run()

        // 6050 / 100 → 61 columns (the last 50 pixels wide, padded); 4030 / 100 → 41 rows (the last 30 tall).
        let cols = 61, rows = 41, size = SparseScene.tile
        #expect(report.gridCols == cols && report.gridRows == rows)
        var expectedFiles: [String] = []
        var corners: [Point] = []
        var expected: [[String: Any]] = []
        for row in 0..<rows {
            for col in 0..<cols {
                let x = col * size, y = row * size
                let validWidth = min(size, SparseScene.width - x), validHeight = min(size, SparseScene.height - y)
                let data = SparseScene.dataPixels(x: x, y: y, width: validWidth, height: validHeight)
                let id = String(format: "r%04d_c%04d", row, col)
                if data > 0 { expectedFiles.append(id + ".tif") }
                expected.append(["id": id, "row": row, "col": col, "x": x, "y": y, "width": size, "height": size,
                                 "path": data > 0 ? id + ".tif" : NSNull(), "empty": data == 0,
                                 "nodataFraction": Double(size * size - data) / Double(size * size)])
                corners += [(0, 0), (0, size), (size, size), (size, 0)].map {
                    Point(x: SparseScene.origin.x + Double(x + $0.0) * SparseScene.pixel,
                          y: SparseScene.origin.y - Double(y + $0.1) * SparseScene.pixel)
                }
            }
        }
        #expect(report.written == expectedFiles.count && report.skippedEmpty == cols * rows - expectedFiles.count)
        #expect(expectedFiles.count > 20, "the blocks straddle tile edges, so each touches several tiles")
        let tifs = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".tif") }.sorted()
        #expect(tifs == expectedFiles)

        let data = try Data(contentsOf: URL(fileURLWithPath: report.index))
        #expect(data.count > 1 << 20, "large enough to be written in several blocks")
        let index = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(index["type"] as? String == "FeatureCollection" && index["name"] as? String == "sparse")
        let swath = index["swath"] as! [String: Any]
        #expect(swath["tileSize"] as? Int == size && swath["crs"] as? String == "EPSG:32633")
        let found = features(index)
        try #require(found.count == cols * rows)

        // A row of tiles per cs2cs call: its output must fit the pipe the test helper reads after writing.
        let lonLat = try stride(from: 0, to: corners.count, by: 4 * cols).flatMap {
            try GDALTools.toLonLat(fromEPSG: 32633, Array(corners[$0..<min($0 + 4 * cols, corners.count)]))
        }
        for (position, feature) in found.enumerated() {
            let p = properties(feature), want = expected[position]
            #expect(feature["id"] as? String == want["id"] as? String)
            #expect(Set(p.keys) == Set(want.keys))
            #expect(p["id"] as? String == want["id"] as? String, "id of tile \(position)")
            for key in ["row", "col", "x", "y", "width", "height"] {
                #expect(p[key] as? Int == want[key] as? Int, "\(key) of \(want["id"]!)")
            }
            #expect((p["path"] as? String) == (want["path"] as? String) && (p["path"] is NSNull) == (want["path"] is NSNull))
            #expect(p["empty"] as? Bool == want["empty"] as? Bool, "empty of \(want["id"]!)")
            #expect(p["nodataFraction"] as? Double == want["nodataFraction"] as? Double, "nodataFraction of \(want["id"]!)")

            let geometry = feature["geometry"] as! [String: Any]
            #expect(geometry["type"] as? String == "Polygon")
            let ring = (geometry["coordinates"] as! [[[Double]]])[0]
            let reference = Array(lonLat[(position * 4)..<(position * 4 + 4)])
            #expect(ring.count == 5 && ring.first! == ring.last!)
            for (point, want) in zip(ring, reference) {
                #expect(abs(point[0] - want.x) < 1e-9 && abs(point[1] - want.y) < 1e-9, "corner of \(p["id"]!)")
            }
            let bbox = feature["bbox"] as! [Double]
            let wanted = [reference.map(\.x).min()!, reference.map(\.y).min()!, reference.map(\.x).max()!, reference.map(\.y).max()!]
            #expect(zip(bbox, wanted).allSatisfy { abs($0 - $1) < 1e-9 })
        }
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: out.path)).contains { $0.hasSuffix(".part") })
    }

    @Test func interruptedRunResumesToTheSameBytes() throws {
        let dir = try TemporaryDirectory()
        let scene = try SparseScene(in: dir)
        let fresh = try Tiler(source: scene.path, outDir: dir.url.appendingPathComponent("fresh"), options: options()).run()

        let out = dir.url.appendingPathComponent("stopped")
        let cancellation = CancellationFlag()
        #expect(throws: TilingError.self) {
            try Tiler(source: scene.path, outDir: out, options: options()).run(cancellation: cancellation) { progress in
                if progress.completed >= 1200 { cancellation.cancel() }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("index.geojson").path))
        let resumed = try Tiler(source: scene.path, outDir: out, options: options { $0.resume = true }).run()
        #expect(resumed.resumed > 0 && resumed.resumed + resumed.written == fresh.written)
        #expect(resumed.skippedEmpty == fresh.skippedEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: resumed.index)) == Data(contentsOf: URL(fileURLWithPath: fresh.index)))
        let names = { (url: URL) in try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".tif") }.sorted() }
        #expect(try names(out) == names(URL(fileURLWithPath: fresh.output)))
    }

    /// Journals written before the index was streamed (JSONEncoder's lines,
    /// keys in any order, slashes escaped) still resume; a line cut short is
    /// redone and the next line starts on a line of its own.
    @Test func journalOfTheEarlierFormatResumes() throws {
        let dir = try TemporaryDirectory()
        let scene = try SparseScene(in: dir)
        let out = dir.url.appendingPathComponent("tiles")
        let fresh = try Tiler(source: scene.path, outDir: out, options: options()).run()
        let freshIndex = try Data(contentsOf: URL(fileURLWithPath: fresh.index))
        let journalURL = out.appendingPathComponent(TileJournal.fileName)

        let plan = try TilePlan(raster: try Raster.open(scene.path), options: options())
        var outcomes: [TileOutcome] = []
        _ = try TileJournal.load(in: out, expecting: plan.signature(source: scene.path, options: options())) { outcomes.append($0) }
        #expect(outcomes.count == plan.grid.count)
        #expect(Set(outcomes.map(\.index)).count == plan.grid.count)

        // The earlier writer: JSONEncoder() for the header and every line; the last tile's line cut short.
        var text = try JSONEncoder().encode(plan.signature(source: scene.path, options: options()))
        text.append(0x0A)
        let last = outcomes.removeLast()
        for outcome in outcomes {
            text.append(try JSONEncoder().encode(outcome))
            text.append(0x0A)
        }
        text.append(Data(#"{"index":\#(last.index),"sta"#.utf8))
        try text.write(to: journalURL)
        try FileManager.default.removeItem(at: URL(fileURLWithPath: fresh.index))

        let resumed = try Tiler(source: scene.path, outDir: out, options: options { $0.resume = true }).run()
        #expect(resumed.written + resumed.resumed == fresh.written)
        #expect(resumed.skippedEmpty + resumed.written + resumed.resumed == plan.grid.count)
        #expect(try Data(contentsOf: URL(fileURLWithPath: resumed.index)) == freshIndex)

        var reread: [TileOutcome] = []
        _ = try TileJournal.load(in: out, expecting: plan.signature(source: scene.path, options: options())) { reread.append($0) }
        #expect(reread.count == plan.grid.count, "the redone tile's line is whole, after the cut one")
        #expect(reread.last?.index == last.index)
    }

    @Test func journalOfAnotherJobIsRefusedWithItsOptions() throws {
        let dir = try TemporaryDirectory()
        let scene = try SparseScene(in: dir)
        let out = dir.url.appendingPathComponent("tiles")
        _ = try Tiler(source: scene.path, outDir: out, options: options()).run()
        #expect {
            try Tiler(source: scene.path, outDir: out, options: options { $0.resume = true; $0.skipEmpty = false }).run()
        } throws: { error in
            (error as? TilingError)?.description.contains("cannot resume") == true
        }
        try Data("not json\n".utf8).write(to: out.appendingPathComponent(TileJournal.fileName))
        #expect {
            try Tiler(source: scene.path, outDir: out, options: options { $0.resume = true }).run()
        } throws: { error in
            (error as? TilingError)?.description.contains("unreadable") == true
        }
    }
}

/// The hand-written bytes against JSONEncoder's for the same values.
@Suite struct StreamedIndexEncodingTests {
    /// The whole collection as JSONEncoder writes it: the index before it was streamed.
    private struct Collection: Encodable {
        var type = "FeatureCollection"
        var name: String
        var swath: TileIndex.About
        var features: [TileIndex.Feature]
    }

    static let fractions: [Double] = [0, 1, 0.5, 1.0 / 3, 1e-05, 0.1 + 0.2, 5e-324, 0.9999999999999999, 2.5e-7, 123456789.125]

    @Test(arguments: [("utm_multiband.tif", 32), ("antimeridian.tif", 25), ("rotated.tif", 64), ("no_crs.tif", 30)])
    func streamedIndexIsJSONEncodersBytes(_ fixture: String, _ size: Int) throws {
        let dir = try TemporaryDirectory()
        var options = TileOptions()
        options.size = size
        options.edge = .shrink
        let source = Fixture.path(fixture)
        let plan = try TilePlan(raster: try Raster.open(source), options: options)
        let writer = TileFileWriter(sink: FolderSink(folder: dir.url), options: options, metadata: plan.metadata)
        let index = TileIndex(name: "scene / \"quoted\" é", grid: plan.grid, writer: writer, metadata: plan.metadata,
                              about: plan.about(source: source, options: options))
        let records = TileRecords(count: plan.grid.count)
        let states: [TileOutcome.State] = [.written, .skippedEmpty, .resumed]
        for tile in 0..<plan.grid.count {
            records.set(TileOutcome(index: tile, state: states[tile % 3], nodataFraction: Self.fractions[tile % Self.fractions.count]))
        }
        let table = try #require(records.complete)
        let url = dir.url.appendingPathComponent("index.geojson")
        try index.write(to: url, records: table)

        let toWGS84 = try plan.metadata.crs.map { try Reprojector.toWGS84(from: $0) }
        let features = try (0..<plan.grid.count).map { try index.feature(table.outcome(at: $0)!, toWGS84: toWGS84) }
        let reference = try TileIndex.encoder.encode(Collection(name: index.name, swath: index.about, features: features))
        let streamed = try Data(contentsOf: url)
        #expect(streamed == reference, "first difference at byte \(zip(streamed, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(streamed.count, reference.count))")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.path)).contains { $0.hasSuffix(".part") })
    }

    @Test func journalLinesReadBackInAnyKeyOrder() throws {
        for (position, fraction) in Self.fractions.enumerated() {
            let outcome = TileOutcome(index: position * 977, state: position % 2 == 0 ? .written : .skippedEmpty, nodataFraction: fraction)
            let line = try TileJournal.line(outcome)
            #expect(line.last == 0x0A)
            #expect(TileJournal.parseLine(ArraySlice(line.dropLast())) == outcome)
            #expect(try JSONDecoder().decode(TileOutcome.self, from: Data(line)) == outcome)
        }
        let accepted = [
            #"{"nodataFraction":0.25,"state":"written","index":7}"#,
            #"{"state":"written","index":7,"nodataFraction":0.25}"#,
            #"{ "index": 7, "state": "written", "nodataFraction": 0.25 }"#,
            #"{"index":7,"state":"written","nodataFraction":2.5e-1,"note":"ignored"}"#,
        ]
        for text in accepted {
            #expect(TileJournal.parseLine(ArraySlice(Array(text.utf8))) == TileOutcome(index: 7, state: .written, nodataFraction: 0.25), "\(text)")
        }
        let refused = [#"{"index":7,"state":"written""#, #"{"index":7,"state":"lost","nodataFraction":1}"#,
                       #"{"index":7,"state":"written","nodataFraction":1}{"index":8"#, "", "{}", #"{"index":"7","state":"written"}"#]
        for text in refused {
            #expect(TileJournal.parseLine(ArraySlice(Array(text.utf8))) == nil, "\(text)")
        }
    }
}
