import Foundation

/// Where a command or job writes a folder of files: a local folder is written in place; for an S3 prefix the
/// files are written into a private temporary folder, uploaded whole (`deliver`) and the folder removed
/// (`removeStaging`). One piece for every writer that takes `DIR|s3://…`.
public struct StagedFolder: Sendable {
    /// The prefix the files go to; nil for a local folder.
    public let objects: ObjectPrefix?
    /// Where to write them now.
    public let folder: URL

    /// `stagingName` prefixes the temporary folder's name (e.g. "swath-wildfire").
    public init(_ location: String, option: String = "--out", stagingName: String) throws {
        objects = try ObjectPrefix.parse(location, option: option)
        folder = objects == nil ? URL(fileURLWithPath: location)
                                : FileManager.default.temporaryDirectory.appendingPathComponent("\(stagingName)-\(UUID().uuidString)")
    }

    /// Uploads the staged files (those in `last` at the end, in that order); nothing to do for a local folder.
    public func deliver(last: [String], includeHidden: Bool = false) throws {
        try objects?.uploadFolder(folder, last: last, includeHidden: includeHidden)
    }

    /// Removes the temporary folder; a local folder is the output itself and stays.
    public func removeStaging() {
        if objects != nil { try? FileManager.default.removeItem(at: folder) }
    }
}
