import CGDAL
import Foundation

/// Any GeoJSON geometry a search names (a point, lines, polygons with holes,
/// a collection), parsed by OGR and tested against shapes with GEOS. Not
/// Sendable: one per request.
public final class SearchGeometry {
    private let geometry: OGRGeometry
    /// [west, south, east, north] of the geometry.
    public let bounds: [Double]

    /// Parses the GeoJSON geometry object `json`; refuses what OGR cannot read or GEOS would not call valid.
    public init(geoJSON json: String) throws {
        GDALRuntime.start()
        GDALLastError.reset()
        guard let handle = OGR_G_CreateGeometryFromJson(json) else {
            throw GeoError.invalidArgument(name: "intersects", reason: GDALLastError.message(default: "not a GeoJSON geometry"))
        }
        geometry = OGRGeometry(owning: handle)
        guard OGR_G_IsEmpty(handle) == 0 else { throw GeoError.invalidArgument(name: "intersects", reason: "the geometry is empty") }
        var envelope = OGREnvelope()
        OGR_G_GetEnvelope(handle, &envelope)
        bounds = [envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY]
        guard bounds.allSatisfy(\.isFinite), (-180...180).contains(envelope.MinX), (-180...180).contains(envelope.MaxX),
              (-90...90).contains(envelope.MinY), (-90...90).contains(envelope.MaxY) else {
            throw GeoError.invalidArgument(name: "intersects", reason: "coordinates must be longitude −180…180 and latitude −90…90")
        }
    }

    /// Whether the two geometries share a point (GEOS, through OGR).
    public func intersects(_ other: SearchGeometry) -> Bool {
        OGR_G_Intersects(geometry.handle, other.geometry.handle) != 0
    }

    /// Whether the geometry and `shape` share a point (GEOS, through OGR).
    public func intersects(_ shape: MultiPolygon) -> Bool {
        let other = OGRGeometry(shape)
        return OGR_G_Intersects(geometry.handle, other.handle) != 0
    }
}
