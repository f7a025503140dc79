import Foundation
import SwathTiling
import SwathLabels

/// Everything `swath export` can be told.
public struct ExportOptions: Sendable {
    public var chipSize: Int = 512
    public var overlap: Int = 0
    /// 1-based bands for image.tif; nil means all.
    public var bands: [Int]? = nil
    public var statuses: Set<TaskStatus> = [.accepted]
    public var split = SplitSpec()
    /// Share of chips without labels to keep (0…1), drawn with the split seed.
    public var backgroundRatio: Double = 0.1
    /// Chips whose labelled area is below this share of the chip count as background.
    public var minimumLabelledFraction: Double = 0
    public var resume: Bool = false
    public var formats: Set<ExportFormat> = ExportFormat.standard
    /// For wildfire.tif: a DEM for the terrain features, and reflectance = DN × scale + offset.
    public var dem: String? = nil
    public var reflectanceScale: Double = 1
    public var reflectanceOffset: Double = 0
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// This run's part of a sharded export: chips dealt out in turn; nil for all.
    public var shard: TileShard? = nil
    /// The operator's secret for annotators' pseudonyms (`SWATH_EXPORT_KEY`): required
    /// with shards, which must agree; without it each export draws a fresh key.
    public var pseudonymSecret: String? = nil

    /// What names the secret in messages (its value is never shown).
    public static let pseudonymSecretVariable = "SWATH_EXPORT_KEY"

    public init() {}

    public func validate() throws {
        guard (32...8192).contains(chipSize) else { throw ExportError.invalidOption("--chip-size", "must be 32…8192, got \(chipSize)") }
        guard overlap >= 0, overlap < chipSize else {
            throw ExportError.invalidOption("--overlap", "must be 0…\(chipSize - 1), got \(overlap)")
        }
        guard (0...1).contains(backgroundRatio) else { throw ExportError.invalidOption("--background-ratio", "must be 0…1") }
        guard (0...1).contains(minimumLabelledFraction) else { throw ExportError.invalidOption("--min-labelled", "must be 0…1") }
        if let bands, bands.isEmpty || bands.contains(where: { $0 < 1 }) {
            throw ExportError.invalidOption("--bands", "bands are numbered from 1")
        }
        if let pseudonymSecret, pseudonymSecret.count < 32 {
            throw ExportError.invalidOption(Self.pseudonymSecretVariable, "must be a secret of 32 characters or more")
        }
        if shard != nil, pseudonymSecret == nil {
            throw ExportError.invalidOption("--shard", "a sharded export needs \(Self.pseudonymSecretVariable) (a secret of 32 characters "
                + "or more, the same for every shard) so that every shard gives each annotator the same pseudonym")
        }
    }
}
