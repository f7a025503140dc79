import Foundation
import SwathGeo
import SwathTestSupport

/// Runs the real `swath` executable.
func swath(_ arguments: [String], in directory: String? = nil) throws -> ShellResult {
    try Shell.run(Fixture.swathBinary, arguments, currentDirectory: directory)
}

/// The lines a command printed on stderr, without blanks.
func errorLines(_ result: ShellResult) -> [String] {
    result.stderr.split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
}

/// A scene big enough that tiling it takes a few seconds: 4 bands of
/// pseudo-random UInt16 (a fixed LCG, so runs are repeatable), EPSG:32610.
func makeNoisyScene(at path: String, size: Int) throws {
    let raster = try Raster.create(path, driver: "GTiff", size: Size(width: size, height: size), bandCount: 4,
                                   dataType: .uint16, options: ["TILED=YES"])
    try raster.setGeoTransform(GeoTransform([600000, 10, 0, 4300000, 0, -10]))
    try raster.setCRS(CRS("EPSG:32610"))
    var state: UInt32 = 12345
    let rows = 256
    for top in stride(from: 0, to: size, by: rows) {
        let values = (0..<(size * rows * 4)).map { _ -> UInt16 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt16(truncatingIfNeeded: state >> 16)
        }
        try raster.write(values, window: Window(col: 0, row: top, width: size, height: rows))
    }
    try raster.close()
}

/// Polls until `condition` holds or `timeout` seconds pass.
func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
}

func tileFiles(in dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".tif") }.sorted()
}

/// Every file under `folder` by relative path, bytes and all (hidden files, such as journals, left out).
func fileTree(_ folder: String) throws -> [String: Data] {
    var found: [String: Data] = [:]
    let base = URL(fileURLWithPath: folder).standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.isRegularFileKey],
                                                      options: [.skipsHiddenFiles]) else { return found }
    for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
        found[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
    }
    return found
}
