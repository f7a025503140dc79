import CGDAL

extension Raster {
    /// GDAL's proximity: for every pixel of `band`, the distance in the
    /// raster's georeferenced units from its centre to the nearest centre of a
    /// pixel whose value is one of `targets` (0 on the targets themselves;
    /// nil where there is no target at all). Row by row, band-sequential.
    public func proximity(band: Int = 1, targets: [Int]) throws -> [Float?] {
        let distances = try Raster.inMemory(size: size, bandCount: 1, dataType: .float32)
        let noTarget: Float = -1
        try distances.setBandMetadata(1, noData: Double(noTarget), description: "proximity", colorInterpretation: "Undefined")
        let options = CStringList(["VALUES=" + targets.map(String.init).joined(separator: ","), "DISTUNITS=GEO",
                                   "NODATA=\(noTarget)"])
        GDALLastError.reset()
        let status = options.withPointer { list in
            GDALComputeProximity(bandHandle(band), distances.bandHandle(1), list, nil, nil)
        }
        guard status == CE_None else {
            throw GeoError.writeFailed(path: path, reason: GDALLastError.message(default: "proximity failed"))
        }
        return try distances.read(distances.bounds, as: Float.self).map { $0 == noTarget ? nil : $0 }
    }
}
