import Foundation
import SwathGeo

/// The human-readable form of `swath info`.
struct InfoText {
    let info: RasterInfo

    init(_ info: RasterInfo) {
        self.info = info
    }

    var rendered: String {
        var lines = [
            "File: \(info.path) (\(info.driver))",
            "Size: \(info.width) × \(info.height) pixels, \(info.bandCount) band\(info.bandCount == 1 ? "" : "s"), "
                + "blocks \(info.blockSize[0]) × \(info.blockSize[1])",
        ]
        lines.append(crsLine)
        lines.append(contentsOf: transformLines)
        if let bbox = info.bboxWGS84 {
            lines.append("Footprint (WGS84 lon/lat): west \(format(bbox[0])), south \(format(bbox[1])), "
                + "east \(format(bbox[2])), north \(format(bbox[3]))")
        } else {
            lines.append("Footprint: none (not georeferenced)")
        }
        if !info.overviews.isEmpty {
            lines.append("Overviews: " + info.overviews.map { "\($0[0]) × \($0[1])" }.joined(separator: ", "))
        }
        lines.append(contentsOf: info.bands.map(bandLine))
        return lines.joined(separator: "\n")
    }

    private var crsLine: String {
        guard let crs = info.crs else { return "CRS: none" }
        return "CRS: \(crs.epsg.map { "EPSG:\($0)" } ?? "no EPSG code") (\(crs.name))"
    }

    private var transformLines: [String] {
        guard let t = info.geoTransform else { return ["GeoTransform: none"] }
        var lines = ["Origin: (\(format(t[0])), \(format(t[3])))", "Pixel size: (\(format(t[1])), \(format(t[5])))"]
        if info.rotated { lines.append("Rotation: (\(format(t[2])), \(format(t[4]))) — rotated geotransform") }
        return lines
    }

    private func bandLine(_ band: RasterInfo.Band) -> String {
        var parts = ["Band \(band.index): \(band.dataType)", band.colorInterpretation]
        if let noData = band.noData { parts.append("nodata \(noData.isNaN ? "NaN" : format(noData))") }
        if !band.description.isEmpty { parts.append("\"\(band.description)\"") }
        return parts.joined(separator: ", ")
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
