import CGDAL

/// Owns an OGR spatial reference handle; released in deinit.
final class SpatialReference {
    let handle: OGRSpatialReferenceH

    /// Takes ownership of a handle returned by OSRNewSpatialReference/OSRClone.
    init(owning handle: OGRSpatialReferenceH) {
        self.handle = handle
    }

    /// Parses anything OSRSetFromUserInput takes: "EPSG:32610", WKT, PROJJSON, PROJ strings.
    convenience init(userInput: String) throws {
        GDALRuntime.start()
        guard let handle = OSRNewSpatialReference(nil) else {
            throw GeoError.projection(reason: "could not allocate a spatial reference")
        }
        self.init(owning: handle)
        GDALLastError.reset()
        guard OSRSetFromUserInput(handle, userInput) == OGRERR_NONE else {
            throw GeoError.invalidArgument(name: "CRS '\(userInput)'",
                                           reason: GDALLastError.message(default: "not a CRS GDAL/PROJ understands"))
        }
    }

    deinit {
        OSRRelease(handle)
    }

    func wkt(format: String = "WKT2_2019") -> String? {
        let options = CStringList(["FORMAT=\(format)", "MULTILINE=NO"])
        var result: UnsafeMutablePointer<CChar>?
        let status = options.withConstPointer { OSRExportToWktEx(handle, &result, $0) }
        defer { VSIFree(result) }
        guard status == OGRERR_NONE, let result else { return nil }
        return String(cString: result)
    }

    var projJSON: String? {
        var result: UnsafeMutablePointer<CChar>?
        let status = OSRExportToPROJJSON(handle, &result, nil)
        defer { VSIFree(result) }
        guard status == OGRERR_NONE, let result else { return nil }
        return String(cString: result)
    }

    /// The EPSG code when the CRS carries one, or when GDAL can identify it
    /// with full confidence; nil otherwise (a custom CRS has none).
    var epsgCode: Int? {
        if let code = authorityCode(of: handle) { return code }
        guard let clone = OSRClone(handle) else { return nil }
        defer { OSRRelease(clone) }
        guard OSRAutoIdentifyEPSG(clone) == OGRERR_NONE else { return nil }
        return authorityCode(of: clone)
    }

    var name: String {
        guard let name = OSRGetName(handle) else { return "unnamed" }
        return String(cString: name)
    }

    var isGeographic: Bool { OSRIsGeographic(handle) != 0 }

    private func authorityCode(of srs: OGRSpatialReferenceH) -> Int? {
        guard let name = OSRGetAuthorityName(srs, nil), String(cString: name) == "EPSG",
              let code = OSRGetAuthorityCode(srs, nil) else { return nil }
        return Int(String(cString: code))
    }
}
