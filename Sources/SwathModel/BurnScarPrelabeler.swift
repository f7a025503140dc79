import Foundation
import SwathExport
import SwathGeo
import SwathLabels
import SwathWildfire

/// Drafts burn scars from a pre/post pair as `model` pre-labels: dNBR from the wildfire extractor
/// → severity classes → regions under the minimum mapping unit merged into their surroundings
/// (GDAL's sieve, 8-connected: specks and holes alike) → polygons (GDAL's polygonize, 8-connected)
/// → simplified by at most half a pixel (GEOS) → saved through the import path on open tasks no
/// annotator has drawn in. Managers only.
public struct BurnScarPrelabeler: Sendable {
    public let service: LabelingService

    /// The burn-scar classes of the standard taxonomy, low to high severity.
    public static let classIds = [202, 203, 204, 205]

    public init(service: LabelingService) {
        self.service = service
    }

    public func run(sceneId: SceneID, preSceneId: SceneID?, options: BurnScarOptions, by caller: User) async throws -> BurnScarReport {
        try await service.authorize(caller, scene: sceneId, .manager, to: "drafting burn-scar pre-labels")
        try options.validate()
        let scene = try await service.scene(id: sceneId, for: caller)
        let source = try await service.exportSource(projectId: scene.projectId, statuses: [.accepted], by: caller)
        let missing = Self.classIds.filter { id in !source.project.taxonomy.classes.contains { $0.id == id } }
        guard missing.isEmpty else {
            throw BurnScarError("the project's taxonomy has no burn-scar classes \(missing.map(String.init).joined(separator: ", ")) "
                                + "(low, moderate-low, moderate-high and high severity)")
        }
        let inputs: WildfireInputs
        do { inputs = try source.wildfireInputs(sceneId: sceneId, preSceneId: preSceneId) } catch let error as WildfireError {
            throw BurnScarError(error.description)
        }
        guard let pre = inputs.pre else {
            throw BurnScarError("scene \(sceneId) has no pre-fire scene: name one (--pre, preSceneId) or link it at ingest")
        }
        // GDAL reads, the extractor and polygonize block: off the cooperative pool.
        let regions = try await BlockingWork.run { try Self.regions(post: inputs.post, pre: pre, options: options) }
        var shapes: [PreLabelShape] = []
        for (index, region) in regions.enumerated() {
            shapes.append(PreLabelShape(fid: Int64(index + 1), classId: Self.classIds[region.level - 1], shape: region.shape,
                                        attributes: ["model": .string("burn-scars-dnbr"), "meanDNBR": .number(region.meanDNBR)]))
        }
        var saved = try await service.addModelPreLabels(sceneId: sceneId, shapes, by: caller)
        saved.layer = "burn-scars-dnbr"
        return BurnScarReport(regions: regions.count, saved: saved)
    }

    /// The severity regions of the pair, in the post scene's CRS, after the minimum mapping unit.
    static func regions(post: SceneInput, pre: SceneInput, options: BurnScarOptions) throws -> [Region] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swath-burn-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try WildfireExtractor.run(post: post, pre: pre, dem: nil,
                                          options: WildfireOptions(scale: options.scale, offset: options.offset, features: ["dnbr"],
                                                                   chipSize: 0, threads: options.threads),
                                          output: folder)
        } catch let error as WildfireError {
            throw BurnScarError(error.description)
        }
        let stack = try Raster.open(folder.appendingPathComponent("features.tif").path)
        guard let transform = stack.geoTransform, let crs = stack.crs else { throw BurnScarError("the dNBR stack lost its georeferencing") }
        let dnbr = try stack.read(stack.bounds, bands: [1], as: Float.self)
        let valid = dnbr.filter { $0 != WildfireFeature.noData && $0.isFinite }.count
        guard valid > 0 else {
            throw BurnScarError("the pre-fire scene (\(pre.label)) does not overlap \(post.label): no pixel has both")
        }
        var levels = [UInt8](repeating: 0, count: dnbr.count)
        for index in dnbr.indices where dnbr[index] != WildfireFeature.noData && dnbr[index].isFinite {
            levels[index] = options.severity(dnbr[index])
        }
        let grid = try Raster.inMemory(size: stack.size, bandCount: 1, dataType: .byte)
        try grid.setGeoTransform(transform)
        try grid.setCRS(crs)
        try grid.write(levels, window: grid.bounds)
        try grid.sieve(smallerThan: try Self.pixels(hectares: options.minimumMappingUnitHectares, transform: transform, crs: crs))
        let sieved = try grid.read(grid.bounds, as: UInt8.self)
        return try DraftedRegion.draft(grid, transform: transform) { (1...4).contains($0) }.map { region in
            // Mean dNBR of the region's pixels: those of its level inside its bounds.
            let mean = region.mean(size: stack.size, transform: transform) { sieved[$0] == region.value ? Double(dnbr[$0]) : nil }
            return Region(level: region.value, shape: region.outline, meanDNBR: mean)
        }
    }

    struct Region {
        var level: Int
        var shape: MultiPolygon
        var meanDNBR: Double
    }

    /// The minimum mapping unit in pixels: hectares over one pixel's area on the ground
    /// (the scene's centre pixel taken to an equal-area projection, EPSG:6933, with PROJ).
    static func pixels(hectares: Double, transform: GeoTransform, crs: CRS) throws -> Int {
        guard hectares > 0 else { return 0 }
        let pixel = transform.outline(Window(col: 0, row: 0, width: 1, height: 1))
        let area = try pixel.mapAll(try Reprojector(from: crs, to: try CRS("EPSG:6933")).forward).area
        guard area > 0 else { throw BurnScarError("the scene's pixels have no area on the ground") }
        // Sieve thresholds are 32-bit in GDAL: a unit of more pixels than that is every region anyway.
        return Int(min(Double(Int32.max), (hectares * 10_000 / area).rounded(.up)))
    }
}
