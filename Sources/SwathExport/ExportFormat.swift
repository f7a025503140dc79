/// The per-chip and per-export outputs `--formats` can choose from. The chip
/// image and manifest are always written.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// labels.geojson
    case geojson
    /// labels.pixel.json
    case pixel
    /// mask.tif
    case mask
    /// coco_train.json, coco_val.json, coco_test.json
    case coco
    /// item.json and catalog.json
    case stac
    /// wildfire.tif: the chip's wildfire feature stack (not written unless asked for)
    case wildfire

    /// What an export writes unless told otherwise.
    public static let standard: Set<ExportFormat> = Set(allCases).subtracting([.wildfire])

    public static func parse(_ text: String) throws -> Set<ExportFormat> {
        Set(try text.split(separator: ",").map { name in
            guard let format = ExportFormat(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ExportError.invalidOption("--formats", "'\(name)' is not one of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return format
        })
    }
}
