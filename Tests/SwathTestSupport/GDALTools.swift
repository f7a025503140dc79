import Foundation
import SwathGeo

/// GDAL's and PROJ's command-line tools, the independent references for tests.
public enum GDALTools {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// `gdalinfo -json [-checksum]` parsed.
    public static func info(_ path: String, checksum: Bool = false) throws -> [String: Any] {
        let result = try Shell.run("gdalinfo", ["-json"] + (checksum ? ["-checksum"] : []) + [path])
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw Failure(description: "gdalinfo \(path) failed: \(result.stderr)")
        }
        return object
    }

    /// Per-band checksums as gdalinfo computes them.
    public static func checksums(_ path: String) throws -> [Int] {
        let bands = try info(path, checksum: true)["bands"] as? [[String: Any]] ?? []
        return bands.compactMap { $0["checksum"] as? Int }
    }

    /// The window's samples as `gdal_translate -srcwin` extracts them, band
    /// after band (ENVI's BSQ layout), in the bands' own type.
    public static func readWindow(_ path: String, _ window: Window, bands: [Int]? = nil, outputType: String? = nil) throws -> Data {
        let dir = try TemporaryDirectory("gdal-translate")
        let target = dir.file("window.bin")
        var arguments = ["-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", "-srcwin", "\(window.col)", "\(window.row)", "\(window.width)", "\(window.height)"]
        for band in bands ?? [] { arguments += ["-b", "\(band)"] }
        if let outputType { arguments += ["-ot", outputType] }
        let result = try Shell.run("gdal_translate", arguments + [path, target])
        guard result.status == 0 else { throw Failure(description: "gdal_translate failed: \(result.stderr)") }
        return try Data(contentsOf: URL(fileURLWithPath: target))
    }

    /// PROJ's cs2cs: projected points to EPSG:4326, returned as (lon, lat).
    /// cs2cs prints EPSG:4326 in its authority order, latitude first, so the
    /// swap here is the test's own independent statement of axis order.
    public static func toLonLat(fromEPSG epsg: Int, _ points: [Point]) throws -> [Point] {
        try cs2cs(["-f", "%.12f", "EPSG:\(epsg)", "EPSG:4326"], points.map { ($0.x, $0.y) }).map { Point(x: $0.1, y: $0.0) }
    }

    /// PROJ's cs2cs the other way: (lon, lat) points to EPSG:`epsg` coordinates (given to cs2cs latitude first,
    /// EPSG:4326's authority order).
    public static func toLonLatInverse(toEPSG epsg: Int, _ points: [Point]) throws -> [Point] {
        try cs2cs(["-f", "%.6f", "EPSG:4326", "EPSG:\(epsg)"], points.map { ($0.y, $0.x) }).map { Point(x: $0.0, y: $0.1) }
    }

    /// cs2cs with `arguments` on `pairs`, one per line; each output line's first two numbers, as printed.
    private static func cs2cs(_ arguments: [String], _ pairs: [(Double, Double)]) throws -> [(Double, Double)] {
        let input = pairs.map { "\($0.0) \($0.1)" }.joined(separator: "\n") + "\n"
        let result = try Shell.run("cs2cs", arguments, input: input)
        guard result.status == 0 else { throw Failure(description: "cs2cs failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            return (fields[0], fields[1])
        }
    }

    /// A ring of `epsg` coordinates taken to lon/lat by `ogr2ogr -wrapdateline`:
    /// GDAL's own cut at the antimeridian, the polygons' exterior rings.
    public static func wrapDateline(fromEPSG epsg: Int, ring: [Point]) throws -> [[Point]] {
        let dir = try TemporaryDirectory("ogr2ogr")
        let source = dir.file("in.geojson"), target = dir.file("out.geojson")
        let coordinates = ring.map { "[\($0.x), \($0.y)]" }.joined(separator: ",")
        let json = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[["# + coordinates + "]]}}]}"
        try json.write(toFile: source, atomically: true, encoding: .utf8)
        let result = try Shell.run("ogr2ogr", ["-f", "GeoJSON", "-s_srs", "EPSG:\(epsg)", "-t_srs", "EPSG:4326",
                                               "-wrapdateline", "-lco", "COORDINATE_PRECISION=12", target, source])
        guard result.status == 0,
              let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: target))) as? [String: Any],
              let feature = (object["features"] as? [[String: Any]])?.first, let geometry = feature["geometry"] as? [String: Any] else {
            throw Failure(description: "ogr2ogr -wrapdateline failed: \(result.stderr)")
        }
        let polygons = geometry["type"] as? String == "Polygon" ? [geometry["coordinates"]] : (geometry["coordinates"] as? [Any] ?? [])
        return polygons.compactMap { polygon in
            ((polygon as? [[[Double]]])?.first).map { $0.map { Point(x: $0[0], y: $0[1]) } }
        }
    }

    /// Decodes little-endian samples of a fixed-width integer type.
    public static func samples<T: FixedWidthInteger>(_ data: Data, as type: T.Type) -> [T] {
        data.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count, by: MemoryLayout<T>.size).map { offset in
                T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
            }
        }
    }

    public static func floats(_ data: Data) -> [Float] {
        data.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count, by: 4).map { raw.loadUnaligned(fromByteOffset: $0, as: Float.self) }
        }
    }
}
