/// A dimension of a multidimensional array: its name (e.g. "time"), GDAL's
/// type for it ("TEMPORAL", "HORIZONTAL_X", …, or empty), its length, and
/// the coordinate variable holding the value at each index, when there is one.
public struct MDDimension: Sendable {
    public var name: String
    public var type: String
    public var size: Int
    public var indexingVariable: MDArray?

    /// Time, by GDAL's type or by the usual CF names.
    public var isTime: Bool {
        type == "TEMPORAL" || ["time", "valid_time", "t", "times"].contains(name.lowercased())
    }
}
