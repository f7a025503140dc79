import CGDAL
import Foundation
import SwathGeo
import Synchronization

/// Overviews for scenes delivered without them, so low zooms read a few
/// small blocks instead of the whole scene. They live in Swath's own
/// directory (the scene's folder may be read-only, and is the customer's):
/// a VRT pointing at the scene plus GDAL's external `.vrt.ovr` beside it,
/// named by a hash of the scene's path, so any database can share them.
public final class SceneOverviews: Sendable {
    public let directory: URL
    private let found = Mutex<[String: String]>([:])
    /// Scenes whose longer side is at most this need no overviews.
    public static let minimumSide = 1024

    public init(directory: URL) {
        self.directory = directory
    }

    /// The path to render `uri` from: its overview VRT once built, else the scene itself.
    public func renderPath(for uri: String) -> String {
        if let known = found.withLock({ $0[uri] }) { return known }
        let vrt = vrtURL(for: uri).path
        guard FileManager.default.fileExists(atPath: vrt) else { return uri }
        found.withLock { $0[uri] = vrt }
        return vrt
    }

    /// Builds overviews for `uri` unless it has its own, is small, or they
    /// exist already. Returns whether it built them. Written under temporary
    /// names and renamed, so a half-built pyramid is never picked up.
    @discardableResult
    public func build(for uri: String, progress: (@Sendable (Double) -> Void)? = nil) throws -> Bool {
        let final = vrtURL(for: uri)
        if FileManager.default.fileExists(atPath: final.path) { return false }
        let scene = try Raster.open(Self.absolute(uri))
        guard scene.bands[0].overviews.isEmpty, max(scene.width, scene.height) > Self.minimumSide else { return false }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let partial = directory.appendingPathComponent(".\(final.lastPathComponent).\(UUID().uuidString).part.vrt")
        defer {
            try? FileManager.default.removeItem(at: partial)
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: partial.path + ".ovr"))
        }
        try Raster.createCopy(of: scene, to: partial.path, driver: "VRT")
        try Raster.open(partial.path).buildOverviews(factors: Self.factors(width: scene.width, height: scene.height),
                                                     resampling: "AVERAGE", progress: progress)
        try Self.replace(URL(fileURLWithPath: final.path + ".ovr"), with: URL(fileURLWithPath: partial.path + ".ovr"))
        try Self.replace(final, with: partial)
        return true
    }

    /// Halvings until the smallest level fits in one 256-pixel tile.
    static func factors(width: Int, height: Int) -> [Int] {
        var factors: [Int] = []
        var factor = 2
        while max(width, height) / (factor / 2) > 256 {
            factors.append(factor)
            factor *= 2
        }
        return factors
    }

    func vrtURL(for uri: String) -> URL {
        directory.appendingPathComponent("\(StableHash.hex(Self.absolute(uri))).vrt")
    }

    /// Local relative paths are made absolute: the VRT must find the scene
    /// from wherever the server runs.
    static func absolute(_ uri: String) -> String {
        guard !uri.hasPrefix("/"), !uri.contains("://") else { return uri }
        return FileManager.default.currentDirectoryPath + "/" + uri
    }

    private static func replace(_ destination: URL, with source: URL) throws {
        _ = try? FileManager.default.removeItem(at: destination)
        try FileManager.default.moveItem(at: source, to: destination)
    }
}
