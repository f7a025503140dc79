import Foundation
import SwathGeo

/// Click-to-segment: one polygon grown from a point over the scene's bands, not saved.
extension LabelingService {
    /// Pixels of context around the task the region may grow into.
    static let segmentMargin = 32
    /// Accepted tolerances, in standard deviations of each band.
    public static let segmentTolerances = 0.05...5.0

    /// The region grown from `point` (in `space`) over the scene's bands, limited to the task's window
    /// and a margin, small holes filled, simplified by half a pixel, in the caller's coordinates.
    /// The task's lease holder, reviewers and managers; the point must lie inside the task.
    public func segment(taskId: TaskID, point: Point, space: CoordinateSpace, tolerance: Double = 1,
                        by caller: User) async throws -> SegmentResult {
        let (stored, _, access) = try await taskAccess(caller, taskId: taskId)
        try access.require(.annotator, .reviewer, .manager, to: "segmenting")
        if !access.has(.reviewer, .manager) {
            let task = stored.isLeased(to: caller.id, at: now()) ? stored : try await view(of: stored, for: caller)
            guard task.isLeased(to: caller.id, at: now()) else {
                throw LabelingError.conflict("task \(taskId) is not leased to you (claim it, or it may have expired)")
            }
        }
        guard point.x.isFinite, point.y.isFinite else { throw LabelingError.invalid("point: coordinates must be finite numbers") }
        guard Self.segmentTolerances.contains(tolerance) else {
            throw LabelingError.invalid("tolerance must be \(Self.segmentTolerances.lowerBound) to \(Self.segmentTolerances.upperBound), got \(tolerance)")
        }
        let scene = try await requireScene(stored.sceneId)
        let frame = TaskFrame(scene: scene, window: stored.window, reprojectors: reprojectors)
        guard let pixel = scene.transform.invert(try frame.toScene(point, from: space)) else {
            throw LabelingError.invalid("scene \(scene.id) has a geotransform that cannot be inverted")
        }
        let task = stored.window
        // Converted exactly: a point far outside the scene is a refusal, never a trap.
        guard let col = Int(exactly: pixel.x.rounded(.down)), let row = Int(exactly: pixel.y.rounded(.down)),
              (task.col..<task.col + task.width).contains(col), (task.row..<task.row + task.height).contains(row) else {
            throw LabelingError.invalid("point [\(point.x), \(point.y)] lies outside task \(taskId)")
        }
        let margin = Self.segmentMargin
        let sceneWindow = Window(col: 0, row: 0, width: scene.width, height: scene.height)
        guard let window = Window(col: task.col - margin, row: task.row - margin, width: task.width + 2 * margin,
                                  height: task.height + 2 * margin).intersection(sceneWindow) else {
            throw LabelingError.invalid("task \(taskId) lies outside its scene")
        }
        // GDAL reads and the flood fill: off the cooperative pool.
        let (shape, pixels) = try await BlockingWork.run {
            try Self.grow(scene: scene, window: window, seed: (col - window.col, row - window.row), tolerance: tolerance)
        }
        return SegmentResult(geometry: GeoJSONGeometry(try frame.fromScene(shape, to: space)).json, space: space, pixels: pixels)
    }

    /// The region's outline in the scene's CRS, and how many pixels it holds.
    static func grow(scene: Scene, window: Window, seed: (col: Int, row: Int), tolerance: Double) throws -> (MultiPolygon, Int) {
        let raster: Raster
        do { raster = try Raster.open(scene.uri) } catch is GeoError {
            throw LabelingError.notFound("scene \(scene.id)'s imagery cannot be read")
        }
        let size = Size(width: window.width, height: window.height)
        let planes = try raster.read(window, as: Float.self)
        var mask = RegionGrower.grow(planes: planes, bands: raster.bandCount, size: size, seed: seed, tolerance: tolerance,
                                     noData: raster.bands.map { $0.noData.map(Float.init) })
        RegionGrower.fillHoles(&mask, size: size, smallerThan: max(16, mask.filter { $0 }.count / 100))
        let grid = try Raster.inMemory(size: size, bandCount: 1, dataType: .byte)
        try grid.setGeoTransform(scene.transform.offset(col: window.col, row: window.row))
        try grid.write(mask.map { $0 ? UInt8(1) : 0 }, window: Window(col: 0, row: 0, width: size.width, height: size.height))
        guard let region = try grid.polygonize(eightConnected: false).first(where: { $0.value == 1 }) else {
            throw LabelingError.invalid("nothing around the point is like it (the pixel is nodata)")
        }
        return (try region.shape.simplified(tolerance: 0.5 * scene.pixelSize), mask.filter { $0 }.count)
    }
}

/// A grown region, in the caller's coordinates, not saved.
public struct SegmentResult: Encodable, Sendable {
    public var type = "Feature"
    public var geometry: JSONValue
    public var properties: Properties

    public struct Properties: Encodable, Sendable {
        public var crs: String
        public var pixels: Int
    }

    init(geometry: JSONValue, space: CoordinateSpace, pixels: Int) {
        self.geometry = geometry
        properties = Properties(crs: space.label, pixels: pixels)
    }
}
