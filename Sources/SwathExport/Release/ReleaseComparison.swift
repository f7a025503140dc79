import Foundation
import SwathGeo
import SwathLabels

/// Reads two releases the caller may read and compares them, off the cooperative pool
/// (a diff of large releases is seconds of GEOS work); documents come from the server's
/// kept snapshots when it has them.
public struct ReleaseComparison: Sendable {
    public let service: LabelingService
    let snapshots: ReleaseChipService?

    public init(service: LabelingService, snapshots: ReleaseChipService? = nil) {
        self.service = service
        self.snapshots = snapshots
    }

    public func diff(_ from: ReleaseID, _ to: ReleaseID, by caller: User) async throws -> ReleaseDiff {
        let a = try await document(from, by: caller), b = try await document(to, by: caller)
        return try await BlockingWork.run { try ReleaseDiff.between((from, a), (to, b)) }
    }

    private func document(_ id: ReleaseID, by caller: User) async throws -> ReleaseDocument {
        if let snapshots { return try await snapshots.snapshot(id, by: caller).document }
        return try ReleaseDocument.parse(try await service.releaseDocument(id: id, for: caller))
    }
}
