import Foundation
import SwathGeo

/// One polygon of a reference layer, in WGS84 (lon, lat), with its id in the source file.
public struct ReferenceFeature: Sendable {
    public var layerId: ReferenceLayerID
    public var layerName: String
    public var fid: Int64
    public var geometry: MultiPolygon
    /// [west, south, east, north].
    public var bbox: [Double]

    public init(layerId: ReferenceLayerID, layerName: String, fid: Int64, geometry: MultiPolygon, bbox: [Double]) {
        self.layerId = layerId
        self.layerName = layerName
        self.fid = fid
        self.geometry = geometry
        self.bbox = bbox
    }

    /// The index's cells are this many degrees on a side.
    public static let cellDegrees = 0.01
    /// A feature spanning more cells than this (about 22 km square at the equator) is refused at registration.
    public static let maximumCells = 400

    /// The cells a bbox touches (column, row of `cellDegrees` squares).
    public static func cells(_ bbox: [Double]) -> [[Int64]] {
        guard bbox.count == 4, bbox.allSatisfy(\.isFinite) else { return [] }
        let (west, south) = (Int64((bbox[0] / cellDegrees).rounded(.down)), Int64((bbox[1] / cellDegrees).rounded(.down)))
        let (east, north) = (Int64((bbox[2] / cellDegrees).rounded(.down)), Int64((bbox[3] / cellDegrees).rounded(.down)))
        guard east >= west, north >= south, (east - west + 1) * (north - south + 1) <= Int64(maximumCells) else { return [] }
        return (west...east).flatMap { column in (south...north).map { [column, $0] } }
    }
}
