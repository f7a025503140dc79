import CGDAL
import Foundation

/// An open OGR vector dataset (GeoJSON, GeoPackage, Shapefile, FlatGeobuf…),
/// read-only. Bytes can be opened too: they go to GDAL's in-memory file
/// system (zip archives through /vsizip/), removed again in deinit.
public final class VectorDataset: @unchecked Sendable {
    let handle: GDALDatasetH
    public let path: String
    private let memoryFile: String?

    private init(handle: GDALDatasetH, path: String, memoryFile: String?) {
        self.handle = handle
        self.path = path
        self.memoryFile = memoryFile
    }

    deinit {
        GDALClose(handle)
        if let memoryFile { VSIUnlink(memoryFile) }
    }

    public static func open(_ path: String) throws -> VectorDataset {
        GDALRuntime.start()
        if !path.hasPrefix("/vsi"), !FileManager.default.fileExists(atPath: path) { throw GeoError.fileNotFound(path: path) }
        return try open(path, displayName: path, memoryFile: nil)
    }

    /// Opens an uploaded file held in memory; `name` is only for messages.
    public static func open(bytes: [UInt8], name: String = "upload") throws -> VectorDataset {
        GDALRuntime.start()
        guard !bytes.isEmpty else { throw GeoError.notARaster(path: name, reason: "the upload is empty") }
        let isZip = bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
        let memoryFile = "/vsimem/swath-import-\(UUID().uuidString)" + (isZip ? ".zip" : "")
        let copy = VSIMalloc(bytes.count)!.assumingMemoryBound(to: GByte.self)
        bytes.withUnsafeBufferPointer { copy.update(from: $0.baseAddress!, count: bytes.count) }
        guard let file = VSIFileFromMemBuffer(memoryFile, copy, vsi_l_offset(bytes.count), 1) else {
            VSIFree(copy)
            throw GeoError.unreadable(path: name, reason: "cannot stage the upload in memory")
        }
        VSIFCloseL(file)
        do {
            return try open(isZip ? "/vsizip/" + memoryFile : memoryFile, displayName: name, memoryFile: memoryFile)
        } catch {
            VSIUnlink(memoryFile)
            throw error
        }
    }

    private static func open(_ path: String, displayName: String, memoryFile: String?) throws -> VectorDataset {
        GDALLastError.reset()
        let flags = UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        guard let handle = GDALOpenEx(path, flags, nil, nil, nil) else {
            throw GeoError.notARaster(path: displayName, reason: "not a vector format GDAL/OGR can read: "
                + GDALLastError.message(default: "unrecognised format"))
        }
        return VectorDataset(handle: handle, path: displayName, memoryFile: memoryFile)
    }

    public var layerNames: [String] {
        (0..<GDALDatasetGetLayerCount(handle)).compactMap { index in
            GDALDatasetGetLayer(handle, index).map { String(cString: OGR_L_GetName($0)) }
        }
    }

    /// Every feature of a layer (the first when `layer` is nil) with its CRS.
    public func read(layer name: String?, maximumVertices: Int = 20_000) throws -> VectorLayer {
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
        OGR_L_ResetReading(layer)
        while let feature = OGR_L_GetNextFeature(layer) {
            defer { OGR_F_Destroy(feature) }
            features.append(Self.feature(feature, maximumVertices: maximumVertices))
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
