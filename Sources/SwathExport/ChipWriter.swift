import Foundation
import SwathGeo
import SwathLabels

/// Writes one chip's folder — image.tif, labels.geojson, mask.tif, item.json —
/// under a hidden temporary name of its own, renamed into place when all four
/// are complete: a chip folder under its final name is always whole, and two
/// writers of one chip never write into, or delete, each other's folder.
struct ChipWriter {
    let outDir: URL
    let taxonomy: Taxonomy
    let codename: String
    let bands: [Int]?
    let pseudonym: Pseudonym
    var formats: Set<ExportFormat> = Set(ExportFormat.allCases)
    /// In a release's export: every label feature and item names the release and each label's lineage.
    var lineage: ReleaseLineage? = nil
    /// Pixels past the scene's edge in mask.tif.
    static let maskNoData = 65_535.0

    func finalURL(_ chip: ChipSlot) -> URL { outDir.appendingPathComponent("chips").appendingPathComponent(chip.id) }

    /// Writes the chip and returns its manifest line.
    func write(_ selected: SelectedChip, scene: Scene, raster: Raster, toWGS84: Reprojector) throws -> ManifestEntry {
        let chip = selected.chip, labels = selected.labels, footprint = selected.footprint
        let final = finalURL(chip)
        let temporary = final.deletingLastPathComponent().appendingPathComponent(".\(chip.id).\(UUID().uuidString).partial")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        do {
            try writeImage(chip, scene: scene, raster: raster, to: temporary.appendingPathComponent("image.tif").path)
            if formats.contains(.mask) {
                try writeMask(chip, scene: scene, labels: labels, to: temporary.appendingPathComponent("mask.tif").path)
            }
            if formats.contains(.geojson) {
                let geojson = try labelsGeoJSON(labels, chip: chip, toWGS84: toWGS84)
                try Data(geojson.serialized).write(to: temporary.appendingPathComponent("labels.geojson"))
            }
            if formats.contains(.pixel) {
                let pixels = labels.map { PixelLabel($0, chip: chip, transform: scene.transform) }
                let pixelDocument: JSONValue = .object([
                    "chip": .string(chip.id), "width": .number(Double(chip.window.width)), "height": .number(Double(chip.window.height)),
                    "labels": .array(pixels.map(\.json)),
                ])
                try Data(pixelDocument.serialized).write(to: temporary.appendingPathComponent("labels.pixel.json"))
            }
            if formats.contains(.stac) {
                var item = StacItem.make(chip: chip, scene: scene, footprint: GeoJSONGeometry(footprint), bbox: footprint.bbox,
                                         labels: labels, taxonomy: taxonomy, codename: codename)
                if let lineage { item = lineage.item(item, labels: labels.map(\.label), pseudonym: pseudonym) }
                try Data(item.serialized).write(to: temporary.appendingPathComponent("item.json"))
            }
            try Self.moveIntoPlace(temporary, final: final)
            return ManifestEntry(selected)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Temporary folders of `chips` that an interrupted run left (hidden, so
    /// never served). Only for a caller that knows no other writer of these
    /// chips is running: an export, whose workers each own their chips.
    func removeLeftovers(of chips: [ChipSlot]) {
        guard let first = chips.first else { return }
        let parent = finalURL(first).deletingLastPathComponent()
        let ids = Set(chips.map(\.id))
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasSuffix(".partial") || name.hasSuffix(".old") {
            let chipId = name.dropFirst().split(separator: ".").first.map(String.init) ?? ""
            if name.hasPrefix("."), ids.contains(chipId) { try? FileManager.default.removeItem(at: parent.appendingPathComponent(name)) }
        }
    }

    /// One rename(2), atomic, when the final name is free. An older copy (an
    /// export run again without --resume) is first renamed aside, so the
    /// final name never shows a half-deleted folder, and removed after.
    static func moveIntoPlace(_ temporary: URL, final: URL) throws {
        if rename(temporary.path, final.path) == 0 { return }
        let failure = errno
        guard failure == ENOTEMPTY || failure == EEXIST else {
            throw ExportError.output(path: final.path, reason: String(cString: strerror(failure)))
        }
        let aside = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).\(UUID().uuidString).old")
        try FileManager.default.moveItem(at: final, to: aside)
        try FileManager.default.moveItem(at: temporary, to: final)
        try? FileManager.default.removeItem(at: aside)
    }

    /// The chip's pixels as a COG in the scene's CRS; past the scene's edge,
    /// nodata. Pixels are read straight into one buffer that a MEM dataset
    /// wraps, so the COG driver copies from the read without staging copies.
    private func writeImage(_ chip: ChipSlot, scene: Scene, raster: Raster, to path: String) throws {
        let bandList = bands ?? Array(1...raster.bandCount)
        let infos = bandList.map(raster.bandInfo)
        let type = infos.dropFirst().reduce(infos[0].dataType) { $0.union($1.dataType) }
        let size = Size(width: chip.window.width, height: chip.window.height)
        let pixelBytes = type.byteSize * bandList.count
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size.width * size.height * pixelBytes, alignment: 16)
        defer { buffer.deallocate() }
        let inside = chip.window.intersection(raster.bounds)
        if inside != chip.window {
            fillPixels(buffer, count: size.width * size.height, with: infos.flatMap { type.encode($0.noData ?? 0) })
        }
        if let inside {
            let offset = ((inside.row - chip.window.row) * size.width + (inside.col - chip.window.col)) * pixelBytes
            try raster.readInterleaved(inside, bands: bandList, dataType: type, into: buffer + offset, bufferWidth: size.width)
        }
        let staging = try Raster.wrapping(buffer, size: size, bandCount: bandList.count, dataType: type)
        try georeference(staging, chip: chip, scene: scene)
        for (index, info) in infos.enumerated() {
            try staging.setBandMetadata(index + 1, noData: info.noData, description: info.description,
                                        colorInterpretation: info.colorInterpretation)
        }
        try Raster.createCopy(of: staging, to: path, driver: "COG", options: Self.cogOptions(chip.window.width))
        try staging.close()
    }

    /// Class ids burned with GDAL's rasterizer on the chip's grid: 0 is
    /// background, 65535 marks pixels past the scene's edge.
    private func writeMask(_ chip: ChipSlot, scene: Scene, labels: [ChipLabel], to path: String) throws {
        let size = Size(width: chip.window.width, height: chip.window.height)
        let mask = try Raster.inMemory(size: size, bandCount: 1, dataType: .uint16)
        try georeference(mask, chip: chip, scene: scene)
        try mask.setBandMetadata(1, noData: Self.maskNoData, description: "class_id", colorInterpretation: "Gray")
        if chip.window.intersection(Window(col: 0, row: 0, width: scene.width, height: scene.height)) != chip.window {
            try mask.fill(band: 1, value: Self.maskNoData)
            if let inside = chip.window.intersection(Window(col: 0, row: 0, width: scene.width, height: scene.height)) {
                let zeros = [UInt16](repeating: 0, count: inside.pixelCount)
                try mask.write(zeros, window: Window(col: inside.col - chip.window.col, row: inside.row - chip.window.row,
                                                     width: inside.width, height: inside.height))
            }
        }
        try mask.rasterize(labels.map(\.shape), values: labels.map { Double($0.label.classId) })
        // Masks are long runs of a few values: the fastest DEFLATE level loses almost nothing on them.
        try Raster.createCopy(of: mask, to: path, driver: "COG", options: Self.cogOptions(size.width) + ["LEVEL=1"])
    }

    private func georeference(_ raster: Raster, chip: ChipSlot, scene: Scene) throws {
        try raster.setGeoTransform(scene.transform.offset(col: chip.window.col, row: chip.window.row))
        try raster.setCRS(scene.crs)
    }

    /// RFC 7946 labels in WGS84, right-handed, to about 1e-7° (1 cm).
    private func labelsGeoJSON(_ labels: [ChipLabel], chip: ChipSlot, toWGS84: Reprojector) throws -> JSONValue {
        let features = try labels.map { item -> JSONValue in
            // Cut at ±180° and closed along a pole it goes round, so trainers' tools read it as drawn.
            let shape = try item.shape.toLonLat(with: toWGS84).rounded(decimals: 7)
            let geometry = GeoJSONGeometry(shape).json
            var properties: [String: JSONValue] = [
                "class": .string(item.labelClass?.name ?? "unknown"),
                "classId": .number(Double(item.label.classId)),
                "group": .string(item.labelClass?.group ?? ""),
                "labelId": .number(Double(item.label.id)),
                "sceneId": .number(Double(item.label.sceneId)),
                "taskId": .number(Double(item.label.taskId)),
                "source": .string(item.label.source.rawValue),
                "areaSceneUnits": .number(item.area),
                "annotator": item.label.annotatorId.map { .string(pseudonym.annotator($0)) } ?? .null,
            ]
            if let lineage { properties.merge(lineage.labelProperties(item.label)) { $1 } }
            return .object([
                "type": .string("Feature"),
                "id": .number(Double(item.label.id)),
                "bbox": .array((shape.lonLatBounds ?? []).map(JSONValue.number)),
                "geometry": geometry,
                "properties": .object(properties),
            ])
        }
        return .object(["type": .string("FeatureCollection"), "features": .array(features)])
    }

    static func cogOptions(_ width: Int) -> [String] {
        ["COMPRESS=DEFLATE", "BLOCKSIZE=\(width >= 512 ? 512 : 256)", "NUM_THREADS=1", "OVERVIEWS=NONE"]
    }
}
