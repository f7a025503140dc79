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
    /// The overview folder; with `objects`, where builds are staged before they are uploaded.
    public let directory: URL
    /// The S3 prefix overviews live under, when the overview folder is one (servers on
    /// several machines then share one set).
    public let objects: ObjectPrefix?
    private let found = Mutex<[String: String]>([:])
    /// On S3, when a scene was last found without overviews: looked for again after `recheckSeconds`,
    /// not on every tile.
    private let missing = Mutex<[String: Date]>([:])
    static let recheckSeconds = 30.0
    /// Scenes whose longer side is at most this need no overviews.
    public static let minimumSide = 1024

    public init(directory: URL) {
        self.directory = directory
        objects = nil
    }

    /// Overviews under an S3 prefix, staged in a local temporary folder while built.
    public init(objects: ObjectPrefix) {
        self.objects = objects
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("swath-overview-builds")
    }

    /// A folder path, or `s3://bucket/prefix/`.
    public convenience init(location: String) throws {
        if let objects = try ObjectPrefix.parse(location, option: "--overview-dir") {
            self.init(objects: objects)
        } else {
            self.init(directory: URL(fileURLWithPath: location))
        }
    }

    /// The folder's path or the prefix's URI.
    public var location: String { objects?.description ?? directory.path }

    /// The path to render `uri` from: its overview VRT once built, else the scene itself.
    public func renderPath(for uri: String) -> String {
        if let known = found.withLock({ $0[uri] }) { return known }
        let name = vrtName(for: uri)
        let path: String
        if let objects {
            if let checked = missing.withLock({ $0[uri] }), Date().timeIntervalSince(checked) < Self.recheckSeconds { return uri }
            path = objects.gdalPath(name)
            guard VirtualFile.exists(path) else {
                missing.withLock { $0[uri] = Date() }
                return uri
            }
        } else {
            path = directory.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else { return uri }
        }
        found.withLock { $0[uri] = path }
        return path
    }

    /// Builds overviews for `uri` unless it has its own, is small, or they
    /// exist already. Returns whether it built them. Written under temporary
    /// names and renamed (or, on S3, uploaded with the VRT last), so a
    /// half-built pyramid is never picked up.
    @discardableResult
    public func build(for uri: String, progress: (@Sendable (Double) -> Void)? = nil) throws -> Bool {
        let name = vrtName(for: uri)
        if let objects {
            VirtualFile.forgetCached(objects.gdalPath(name))
            if VirtualFile.exists(objects.gdalPath(name)) { return false }
        } else if FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            return false
        }
        let scene = try Raster.open(Self.absolute(uri))
        guard scene.bands[0].overviews.isEmpty, max(scene.width, scene.height) > Self.minimumSide else { return false }
        let staging = objects == nil ? directory : directory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { if objects != nil { try? FileManager.default.removeItem(at: staging) } }
        let partial = staging.appendingPathComponent(".\(name).\(UUID().uuidString).part.vrt")
        defer {
            try? FileManager.default.removeItem(at: partial)
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: partial.path + ".ovr"))
        }
        try Raster.createCopy(of: scene, to: partial.path, driver: "VRT")
        try Raster.open(partial.path).buildOverviews(factors: Self.factors(width: scene.width, height: scene.height),
                                                     resampling: "AVERAGE", progress: progress)
        if let objects {
            try objects.upload(from: partial.path + ".ovr", as: name + ".ovr")
            try objects.upload(from: partial.path, as: name)
        } else {
            let final = directory.appendingPathComponent(name)
            try Self.replace(URL(fileURLWithPath: final.path + ".ovr"), with: URL(fileURLWithPath: partial.path + ".ovr"))
            try Self.replace(final, with: partial)
        }
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

    func vrtName(for uri: String) -> String {
        "\(StableHash.hex(Self.absolute(uri))).vrt"
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
