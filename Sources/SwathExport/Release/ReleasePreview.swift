import Foundation
import SwathGeo
import SwathLabels

/// A split's preview picture: up to four of its chips (the most labelled first), each 128 pixels
/// square, the imagery stretched 2–98 % per band (red, green, blue by band role, else bands 1–3,
/// else band 1 in grey) with the labels burned by GDAL's rasterizer and tinted in their class colour.
enum ReleasePreview {
    static let tile = 128

    static func png(split: DatasetSplit, snapshot: ReleaseSnapshot) throws -> [UInt8] {
        let chosen = snapshot.document.chips.filter { $0.split == split }
            .sorted { ($0.labelIds.count, $1.id) > ($1.labelIds.count, $0.id) }.prefix(4)
        let side = tile * 2
        var rgba = [UInt8](repeating: 64, count: side * side * 4)
        for index in 0..<side * side { rgba[index * 4 + 3] = 255 }
        let colours = Dictionary(snapshot.document.taxonomy.classes.map { ($0.id, Self.rgb($0.color)) }, uniquingKeysWith: { first, _ in first })
        for (slot, chip) in chosen.enumerated() {
            guard let scene = snapshot.source.scenes.first(where: { $0.id == chip.sceneId }),
                  let selected = try snapshot.selectedChip(chip.id) else { continue }
            let pixels = try image(chip, scene: scene)
            let classes = try mask(chip, scene: scene, labels: selected.labels)
            let (left, top) = ((slot % 2) * tile, (slot / 2) * tile)
            for row in 0..<tile {
                for col in 0..<tile {
                    let source = row * tile + col
                    let target = ((top + row) * side + left + col) * 4
                    var colour = (pixels[source * 3], pixels[source * 3 + 1], pixels[source * 3 + 2])
                    if classes[source] != 0, let tint = colours[Int(classes[source])] ?? nil {
                        colour = (blend(colour.0, tint.0), blend(colour.1, tint.1), blend(colour.2, tint.2))
                    }
                    (rgba[target], rgba[target + 1], rgba[target + 2]) = colour
                }
            }
        }
        return try rgba.withUnsafeBytes { try PNGEncoder.encodeRGBA($0.baseAddress!, size: Size(width: side, height: side)) }
    }

    /// The chip's imagery at 128 × 128 (nearest pixel), 8 bits per band, RGB interleaved.
    private static func image(_ chip: ReleaseChip, scene: Scene) throws -> [UInt8] {
        let raster = try Raster.open(scene.uri)
        let roles = scene.bandRoles
        let bands = [roles["red"], roles["green"], roles["blue"]].allSatisfy({ $0 != nil })
            ? [roles["red"]!, roles["green"]!, roles["blue"]!]
            : raster.bandCount >= 3 ? [1, 2, 3] : [1, 1, 1]
        var out = [UInt8](repeating: 0, count: tile * tile * 3)
        guard let inside = chip.window.intersection(raster.bounds) else { return out }
        let values = try raster.read(inside, bands: bands, as: Float.self)
        let plane = inside.pixelCount
        for (offset, _) in bands.enumerated() {
            let samples = values[(offset * plane)..<((offset + 1) * plane)].filter(\.isFinite).sorted()
            guard !samples.isEmpty else { continue }
            let (low, high) = (samples[samples.count * 2 / 100], samples[samples.count * 98 / 100])
            let span = max(high - low, 1e-6)
            for row in 0..<tile {
                for col in 0..<tile {
                    let (y, x) = (chip.window.row + row * chip.window.height / tile, chip.window.col + col * chip.window.width / tile)
                    guard x >= inside.col, x < inside.col + inside.width, y >= inside.row, y < inside.row + inside.height else { continue }
                    let value = values[offset * plane + (y - inside.row) * inside.width + (x - inside.col)]
                    out[(row * tile + col) * 3 + offset] = UInt8(max(0, min(255, (value - low) / span * 255)))
                }
            }
        }
        return out
    }

    /// Class ids of the chip's labels on a 128 × 128 grid over the chip, burned by GDAL.
    private static func mask(_ chip: ReleaseChip, scene: Scene, labels: [ChipLabel]) throws -> [UInt16] {
        let grid = try Raster.inMemory(size: Size(width: tile, height: tile), bandCount: 1, dataType: .uint16)
        let c = scene.transform.offset(col: chip.window.col, row: chip.window.row).coefficients
        let (sx, sy) = (Double(chip.window.width) / Double(tile), Double(chip.window.height) / Double(tile))
        try grid.setGeoTransform(GeoTransform([c[0], c[1] * sx, c[2] * sy, c[3], c[4] * sx, c[5] * sy]))
        try grid.rasterize(labels.map(\.shape), values: labels.map { Double($0.label.classId) })
        return try grid.read(Window(col: 0, row: 0, width: tile, height: tile), as: UInt16.self)
    }

    private static func blend(_ base: UInt8, _ tint: UInt8) -> UInt8 { UInt8((Int(base) * 45 + Int(tint) * 55) / 100) }

    /// "#e31a1c" → (227, 26, 28); nil for anything else.
    static func rgb(_ hex: String) -> (UInt8, UInt8, UInt8)? {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        return (UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
}
