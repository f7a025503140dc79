/// What an analyst needs to know about one band.
public struct BandInfo: Equatable, Sendable {
    /// 1-based, as GDAL and every GIS numbers bands.
    public var index: Int
    public var dataType: RasterDataType
    public var noData: Double?
    public var colorInterpretation: String
    public var description: String
    public var blockWidth: Int
    public var blockHeight: Int
    /// Overview sizes, finest first.
    public var overviews: [Size]

    public init(index: Int, dataType: RasterDataType, noData: Double?, colorInterpretation: String,
                description: String, blockWidth: Int, blockHeight: Int, overviews: [Size]) {
        self.index = index
        self.dataType = dataType
        self.noData = noData
        self.colorInterpretation = colorInterpretation
        self.description = description
        self.blockWidth = blockWidth
        self.blockHeight = blockHeight
        self.overviews = overviews
    }
}
