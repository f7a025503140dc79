import Foundation
import SwathLabels

/// The options of an export asked for over HTTP, stored with its job as JSON.
/// Every field is optional (the CLI's defaults apply); numbers must be exact
/// (`"chipSize": 256.5` is refused by the decoder, not rounded). Wildfire
/// stacks are not offered: they would take a DEM path from the request.
public struct ExportRequest: JobRequest, Codable, Sendable, Equatable {
    public var chipSize: Int?
    public var overlap: Int?
    public var bands: [Int]?
    /// Outputs besides image.tif and manifest.jsonl: geojson, pixel, mask, coco, stac.
    public var formats: [String]?
    /// Task statuses whose labels are exported (default: accepted).
    public var statuses: [String]?
    /// `blocks=8,ratios=0.7/0.15/0.15,seed=1`, as the CLI's --split.
    public var split: String?
    public var backgroundRatio: Double?
    public var minLabelled: Double?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case chipSize, overlap, bands, formats, statuses, split, backgroundRatio, minLabelled
    }

    /// Whole numbers are read as numbers and converted exactly: 256.5 is refused, never rounded.
    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        chipSize = try values.decodeWholeIfPresent(forKey: .chipSize)
        overlap = try values.decodeWholeIfPresent(forKey: .overlap)
        bands = try values.decodeWholesIfPresent(forKey: .bands)
        formats = try values.decodeIfPresent([String].self, forKey: .formats)
        statuses = try values.decodeIfPresent([String].self, forKey: .statuses)
        split = try values.decodeIfPresent(String.self, forKey: .split)
        backgroundRatio = try values.decodeIfPresent(Double.self, forKey: .backgroundRatio)
        minLabelled = try values.decodeIfPresent(Double.self, forKey: .minLabelled)
    }

    /// The export's options, checked: a clear error naming the field otherwise.
    public func options() throws -> ExportOptions {
        var options = ExportOptions()
        options.chipSize = chipSize ?? options.chipSize
        options.overlap = overlap ?? options.overlap
        options.bands = bands
        if let formats {
            let parsed = try ExportFormat.parse(formats.joined(separator: ","))
            guard !parsed.contains(.wildfire) else {
                throw ExportError.invalidOption("formats", "wildfire stacks are exported by the CLI (they read a DEM from a path)")
            }
            options.formats = parsed
        }
        options.statuses = try statusSet()
        if let split { options.split = try SplitSpec(parsing: split) }
        options.backgroundRatio = backgroundRatio ?? options.backgroundRatio
        options.minimumLabelledFraction = minLabelled ?? options.minimumLabelledFraction
        try options.validate()
        return options
    }
}
