import SwathGeo
import SwathLabels

/// A label clipped to one chip, in the scene's CRS, with its class.
struct ChipLabel {
    var label: Label
    var labelClass: TaxonomyClass?
    /// label ∩ chip, right-handed, in the scene's CRS.
    var shape: MultiPolygon
    /// Planar area of the clipped shape, in the scene CRS's units².
    var area: Double
}

/// A scene's labels, ready to be cut per chip (bounds computed once).
struct SceneLabels {
    let labels: [(label: Label, bounds: [Double])]

    init(_ labels: [Label]) {
        self.labels = labels.compactMap { label in label.geometry.bounds.map { (label, $0) } }
    }

    /// The labels meeting `footprint`, clipped to it with GEOS.
    func clipped(to footprint: MultiPolygon, taxonomy: Taxonomy) throws -> [ChipLabel] {
        guard let box = footprint.bounds else { return [] }
        return try labels.compactMap { entry in
            let b = entry.bounds
            guard b[0] <= box[2], box[0] <= b[2], b[1] <= box[3], box[1] <= b[3] else { return nil }
            let piece = try entry.label.geometry.intersection(footprint)
            let area = piece.area
            guard !piece.isEmpty, area > 0 else { return nil }
            return ChipLabel(label: entry.label, labelClass: taxonomy.resolve(id: entry.label.classId), shape: piece.rightHanded, area: area)
        }
    }
}
