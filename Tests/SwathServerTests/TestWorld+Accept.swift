import Foundation
import SwathGeo
import SwathLabels
import SwathTestSupport

extension TestWorld {
    /// Accepts every task of project A after saving one square in the first.
    func acceptEverything() async throws {
        let annotator = try await service.authenticate(token: self.annotator)
        let reviewer = try await service.authenticate(token: self.reviewer)
        var first = true
        while let task = try await service.claim(projectId: projectA, by: annotator) {
            if first {
                let body = try JSONParser.parse(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"class":"cropland"},"geometry":{"type":"Polygon","coordinates":[[[10,10],[60,10],[60,60],[10,60],[10,10]]]}}]}"#)
                _ = try await service.saveLabels(taskId: task.id, GeoJSONFeatureCollection(json: body), space: .pixel, by: annotator)
                first = false
            }
            _ = try await service.submit(taskId: task.id, by: annotator)
            _ = try await service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
        }
    }
}
