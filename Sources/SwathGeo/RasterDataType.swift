import CGDAL

/// A pixel data type, named as GDAL names it ("Byte", "UInt16", "Float32", …).
public struct RasterDataType: Equatable, Hashable, Sendable, CustomStringConvertible {
    let gdal: GDALDataType

    init(_ gdal: GDALDataType) {
        self.gdal = gdal
    }

    /// Looks a type up by GDAL's name; nil for an unknown name.
    public init?(name: String) {
        let found = GDALGetDataTypeByName(name)
        guard found != GDT_Unknown else { return nil }
        self.gdal = found
    }

    public static let byte = RasterDataType(GDT_Byte)
    public static let uint16 = RasterDataType(GDT_UInt16)
    public static let int16 = RasterDataType(GDT_Int16)
    public static let uint32 = RasterDataType(GDT_UInt32)
    public static let int32 = RasterDataType(GDT_Int32)
    public static let float32 = RasterDataType(GDT_Float32)
    public static let float64 = RasterDataType(GDT_Float64)

    public var name: String { String(cString: GDALGetDataTypeName(gdal)) }
    public var byteSize: Int { Int(GDALGetDataTypeSizeBytes(gdal)) }
    public var isFloatingPoint: Bool { GDALDataTypeIsFloating(gdal) != 0 }
    public var isComplex: Bool { GDALDataTypeIsComplex(gdal) != 0 }
    public var description: String { name }

    /// The smallest type that holds values of both (GDAL's promotion rules).
    public func union(_ other: RasterDataType) -> RasterDataType {
        RasterDataType(GDALDataTypeUnion(gdal, other.gdal))
    }

    /// `value` encoded as one sample of this type, as GDAL would store it
    /// (rounded and clamped); used to compare raw pixel bytes against nodata.
    public func encode(_ value: Double) -> [UInt8] {
        var source = value
        var bytes = [UInt8](repeating: 0, count: byteSize)
        bytes.withUnsafeMutableBytes { target in
            GDALCopyWords(&source, GDT_Float64, 0, target.baseAddress, gdal, 0, 1)
        }
        return bytes
    }
}
