import CGDAL

/// Swift types that windowed reads can fill directly; GDAL converts from the
/// band's own type when they differ.
public protocol RasterScalar: Sendable {
    static var rasterDataType: RasterDataType { get }
    init()
}

extension UInt8: RasterScalar { public static var rasterDataType: RasterDataType { .byte } }
extension UInt16: RasterScalar { public static var rasterDataType: RasterDataType { .uint16 } }
extension Int16: RasterScalar { public static var rasterDataType: RasterDataType { .int16 } }
extension UInt32: RasterScalar { public static var rasterDataType: RasterDataType { .uint32 } }
extension Int32: RasterScalar { public static var rasterDataType: RasterDataType { .int32 } }
extension Float: RasterScalar { public static var rasterDataType: RasterDataType { .float32 } }
extension Double: RasterScalar { public static var rasterDataType: RasterDataType { .float64 } }
