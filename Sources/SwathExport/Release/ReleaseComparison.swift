import SwathLabels

/// Reads two releases the caller may read and compares them.
public struct ReleaseComparison: Sendable {
    public let service: LabelingService

    public init(service: LabelingService) {
        self.service = service
    }

    public func diff(_ from: ReleaseID, _ to: ReleaseID, by caller: User) async throws -> ReleaseDiff {
        let a = try ReleaseDocument.parse(try await service.releaseDocument(id: from, for: caller))
        let b = try ReleaseDocument.parse(try await service.releaseDocument(id: to, for: caller))
        return try ReleaseDiff.between((from, a), (to, b))
    }
}
