import ArgumentParser
import Foundation
import SwathExport
import SwathGeo
import SwathLabels

struct ReleaseCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Freeze the project's accepted labels, chips, splits and scene files' identities under a name.",
        discussion: "Prints the release as JSON. A name is used once per project."
    )

    @OptionGroup var database: DatabaseOption
    @Option(help: "Project id.") var project: Int64
    @Option(help: "The release's name (1–100 letters, digits, spaces, - _ . +).") var name: String
    @Option(help: "Chip width and height in pixels.") var chipSize = 512
    @Option(help: "Pixels shared by neighbouring chips.") var overlap = 0
    @Option(help: "Bands for image.tif, e.g. 3,2,1 (default: all).") var bands: String?
    @Option(help: "Outputs besides image.tif and manifest.jsonl: geojson,pixel,mask,coco,stac.") var formats = "geojson,pixel,mask,coco,stac"
    @Option(help: "Splits: blocks=CHIPS,ratios=TRAIN/VAL/TEST,seed=N.") var split = "blocks=8,ratios=0.7/0.15/0.15,seed=1"
    @Option(help: "Share of chips without labels to keep (0–1).") var backgroundRatio = 0.1
    @Option(help: "Chips with less labelled area than this share count as background.") var minLabelled = 0.0
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try global.apply()
        var request = ExportRequest()
        request.chipSize = chipSize
        request.overlap = overlap
        request.bands = try bands.map(TileCommand.parseBands)
        request.formats = formats.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        request.split = split
        request.backgroundRatio = backgroundRatio
        request.minLabelled = minLabelled
        let service = try await database.service()
        let release = try await ReleaseMaker(service: service).create(projectId: project, name: name, request: request, by: .commandLine)
        try printJSON(release)
    }
}
