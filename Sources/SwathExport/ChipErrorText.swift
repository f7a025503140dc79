import SwathLabels
import SwathWildfire

/// What the pull API tells trainers when a chip cannot be made. They must not
/// learn where the customer keeps imagery (paths and URIs often name the
/// customer), so errors name the chip and scene by id, and GDAL's or the
/// extractor's own words are passed on only when they hold no path, URI or
/// customer name.
enum ChipErrorText {
    static func unreadable(chipId: String, sceneId: SceneID) -> String {
        "chip '\(chipId)' cannot be made: the imagery of scene \(sceneId) can no longer be read"
    }

    static func wildfire(_ error: WildfireError, sceneId: SceneID, source: ExportSource) -> String {
        let general = "wildfire.tif cannot be made for the chips of scene \(sceneId)"
        let reason = error.description
        return isPublic(reason, source: source) ? "\(general): \(reason)" : general
    }

    /// No path separator, and none of the project's scene URIs, file names or its customer.
    static func isPublic(_ text: String, source: ExportSource) -> Bool {
        let secrets = source.scenes.flatMap { [$0.uri, String($0.uri.split(separator: "/").last ?? "")] } + [source.project.customer]
        return !text.contains("/") && !text.contains("\\") && !secrets.contains { !$0.isEmpty && text.contains($0) }
    }
}
