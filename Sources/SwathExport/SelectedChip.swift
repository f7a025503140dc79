import SwathGeo

/// A chip an export (or the pull API) serves: where it is, its labels, and
/// its WGS84 outline, computed once and used for the buffer between scenes,
/// the manifest bbox and the STAC geometry.
struct SelectedChip {
    var chip: ChipSlot
    var labels: [ChipLabel]
    var footprint: Footprint

    /// The outline as a shape, for GEOS.
    var outline: MultiPolygon { MultiPolygon(footprint.polygons.map { Polygon(rings: [$0]) }) }
}
