import CGDAL
import Foundation

/// An open OGR vector dataset of one of the `VectorFormat`s, read-only.
public final class VectorDataset: @unchecked Sendable {
    let handle: GDALDatasetH
    /// The name messages use for the file.
    public let path: String

    private init(handle: GDALDatasetH, path: String) {
        self.handle = handle
        self.path = path
    }

    deinit {
        GDALClose(handle)
    }

    /// Opens a GeoJSON, GeoPackage, FlatGeobuf or shapefile (zipped or a .shp),
    /// recognised by its first bytes and opened with only that driver, so the
    /// file cannot hand GDAL another data source to read. `name` stands for
    /// the file in messages (an upload's temporary path means nothing to its sender).
    public static func open(_ path: String, name: String? = nil) throws -> VectorDataset {
        GDALRuntime.start()
        let displayName = name ?? path
        guard let file = FileHandle(forReadingAtPath: path) else { throw GeoError.fileNotFound(path: displayName) }
        let header = (try? file.read(upToCount: 64)).map { [UInt8]($0) } ?? []
        try? file.close()
        guard !header.isEmpty else { throw GeoError.invalidRaster(path: displayName, reason: "the file is empty") }
        guard let (format, zipped) = VectorFormat.sniff(header) else {
            throw GeoError.invalidRaster(path: displayName, reason: "not one of the vector formats Swath reads (\(VectorFormat.names); "
                + "a shapefile zipped with its .shx, .dbf and .prj)")
        }
        // Braces let /vsizip/ open an archive whatever its file is called (uploads have no extension).
        return try open(zipped ? "/vsizip/{\(path)}" : path, driver: format, displayName: displayName)
    }

    private static func open(_ path: String, driver: VectorFormat, displayName: String) throws -> VectorDataset {
        GDALLastError.reset()
        let flags = UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        let handle = CStringList([driver.rawValue]).withConstPointer { GDALOpenEx(path, flags, $0, nil, nil) }
        guard let handle else {
            throw GeoError.invalidRaster(path: displayName, reason: "not a readable \(driver.rawValue) file: "
                + GDALLastError.message(default: "unrecognised format").replacingOccurrences(of: path, with: displayName))
        }
        return VectorDataset(handle: handle, path: displayName)
    }

    public var layerNames: [String] {
        (0..<GDALDatasetGetLayerCount(handle)).compactMap { index in
            GDALDatasetGetLayer(handle, index).map { String(cString: OGR_L_GetName($0)) }
        }
    }

    /// Every feature of a layer (the first when `layer` is nil) with its CRS.
    /// Refused whole past `maximumFeatures` features or `maximumTotalVertices`
    /// vertices in all, so a file cannot make the reader hold unbounded memory;
    /// a single polygon over `maximumVertices` is refused on its own.
    public func read(layer name: String?, maximumVertices: Int = 20_000, maximumFeatures: Int = 1_000_000,
                     maximumTotalVertices: Int = 50_000_000) throws -> VectorLayer {
        let layer: OGRLayerH
        if let name {
            guard let found = GDALDatasetGetLayerByName(handle, name) else {
                throw GeoError.invalidArgument(name: "layer '\(name)'", reason: "\(path) has layers: \(layerNames.joined(separator: ", "))")
            }
            layer = found
        } else {
            guard let first = GDALDatasetGetLayer(handle, 0) else {
                throw GeoError.invalidRaster(path: path, reason: "has no vector layers")
            }
            layer = first
        }
        let crs = OGR_L_GetSpatialRef(layer).flatMap(OSRClone).flatMap { try? CRS(SpatialReference(owning: $0)) }
        var features: [VectorFeature] = []
        var vertices = 0
        OGR_L_ResetReading(layer)
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature) }
            guard features.count < maximumFeatures else {
                throw GeoError.invalidRaster(path: path, reason: "has more than \(maximumFeatures) features, the most one import takes")
            }
            let read = Self.feature(feature, maximumVertices: maximumVertices)
            vertices += (try? read.geometry.get().vertexCount) ?? 0
            guard vertices <= maximumTotalVertices else {
                throw GeoError.invalidRaster(path: path, reason: "has more than \(maximumTotalVertices) vertices, the most one import takes")
            }
            features.append(read)
        }
        return VectorLayer(name: String(cString: OGR_L_GetName(layer)), crs: crs, features: features)
    }

    private static func feature(_ feature: OGRFeatureH, maximumVertices: Int) -> VectorFeature {
        var fields: [String: String] = [:]
        for index in 0..<OGR_F_GetFieldCount(feature) where OGR_F_IsFieldSetAndNotNull(feature, index) != 0 {
            let name = String(cString: OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(feature, index)))
            fields[name] = String(cString: OGR_F_GetFieldAsString(feature, index))
        }
        let shape: Result<MultiPolygon, GeometryProblem>
        if let reference = OGR_F_GetGeometryRef(feature) {
            shape = polygons(reference, maximumVertices: maximumVertices)
        } else {
            shape = .failure(GeometryProblem("feature has no geometry"))
        }
        return VectorFeature(fid: Int64(OGR_F_GetFID(feature)), geometry: shape, fields: fields)
    }

    private static func polygons(_ reference: OGRGeometryH, maximumVertices: Int) -> Result<MultiPolygon, GeometryProblem> {
        let type = OGR_GT_Flatten(OGR_G_GetGeometryType(reference))
        guard [wkbPolygon, wkbMultiPolygon, wkbCurvePolygon, wkbMultiSurface].contains(type) else {
            return .failure(GeometryProblem("geometry type \(String(cString: OGRGeometryTypeToName(type))) is not a polygon"))
        }
        // Curved polygons become straight segments, as GDAL approximates them.
        guard let linear = OGR_G_GetLinearGeometry(reference, 0, nil) else {
            return .failure(GeometryProblem("geometry cannot be read"))
        }
        let shape = OGRGeometry(owning: linear).multiPolygon
        if shape.isEmpty { return .failure(GeometryProblem("geometry is empty")) }
        if shape.vertexCount > maximumVertices {
            return .failure(GeometryProblem("geometry has \(shape.vertexCount) vertices, more than the \(maximumVertices) allowed"))
        }
        return .success(shape)
    }
}
