import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Existing vectors as pre-labels: any OGR format, any CRS, clipped into tasks.
@Suite struct ImportRouteTests {
    /// Two features in WGS84 GeoJSON: one across the boundary of the four
    /// tasks (pixels 100…156 in both axes), one far away; plus a point.
    private func geoJSON() throws -> String {
        let corners = [(100, 100), (156, 100), (156, 156), (100, 156), (100, 100)].map {
            Point(x: 600000 + Double($0.0) * 10, y: 4300000 - Double($0.1) * 10)
        }
        let ring = try GDALTools.toLonLat(fromEPSG: 32610, corners).map { "[\($0.x), \($0.y)]" }.joined(separator: ",")
        return """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"kind": "cropland"}, "geometry": {"type": "Polygon", "coordinates": [[\(ring)]]}},
          {"type": "Feature", "properties": {"kind": "cropland"}, "geometry": {"type": "Polygon", "coordinates": [[[10, 10], [11, 10], [11, 11], [10, 10]]]}},
          {"type": "Feature", "properties": {"kind": "building"}, "geometry": {"type": "Point", "coordinates": [-121.83, 38.83]}},
          {"type": "Feature", "properties": {"kind": "volcano"}, "geometry": {"type": "Polygon", "coordinates": [[\(ring)]]}}
        ]}
        """
    }

    @Test func geoJSONUploadIsSplitIntoTheTasksItCrosses() async throws {
        let world = try await TestWorld.make()
        let body = Array(try geoJSON().utf8)
        try await world.test { client in
            let path = "/api/v1/scenes/\(world.sceneA)/labels/import?classField=kind&source=model"
            #expect(try await client.call(.post, path, token: world.annotator, raw: body).status == .forbidden)
            let reply = try await client.call(.post, path, token: world.manager, raw: body)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.object["featuresRead"] as? Int == 4)
            #expect(reply.object["featuresAccepted"] as? Int == 1)
            #expect(reply.object["labelsCreated"] as? Int == 4 && reply.object["tasksTouched"] as? Int == 4)
            let reasons = (reply.object["rejected"] as! [[String: Any]]).map { $0["reason"] as! String }
            #expect(reasons.count == 3)
            #expect(reasons.contains { $0.contains("outside the scene") })
            #expect(reasons.contains { $0.contains("not a polygon") })
            #expect(reasons.contains { $0.contains("volcano") })
            #expect(try await client.call(.post, "/api/v1/scenes/\(world.sceneA)/labels/import", token: world.manager, raw: body).status == .badRequest)
            #expect(try await client.call(.post, path, token: world.manager, raw: Array("not a vector file".utf8)).status == .badRequest)
        }
        // Each piece is the square clipped to its task: 28 × 28 pixels of 10 m = 78400 m².
        for task in world.tasksA {
            let labels = try await world.service.store.labels(taskId: task.id, privateTo: nil)
            #expect(labels.count == 1 && labels[0].source == .model && labels[0].classId == 40)
            #expect(abs(labels[0].geometry.area - 78_400) < 1)
        }
    }

    @Test func geoPackageInAnotherCRSFromTheCommandLineService() async throws {
        let world = try await TestWorld.make()
        let dir = try TemporaryDirectory()
        try geoJSON().write(toFile: dir.file("in.geojson"), atomically: true, encoding: .utf8)
        // ogr2ogr reprojects to Web Mercator into a GeoPackage: the importer must bring it back to UTM.
        let converted = try Shell.run("ogr2ogr", ["-f", "GPKG", "-t_srs", "EPSG:3857", "-nln", "fields", dir.file("in.gpkg"), dir.file("in.geojson")])
        #expect(converted.status == 0, "\(converted.stderr)")
        let report = try await world.service.importLabels(sceneId: world.sceneA, path: dir.file("in.gpkg"),
                                                          options: ImportOptions(layer: "fields", fixedClass: "grassland"), by: .commandLine)
        #expect(report.featuresAccepted == 2 && report.labelsCreated == 8)  // the volcano is grassland here, the point is refused
        let labels = try await world.service.store.labels(taskId: world.tasksA[0].id, privateTo: nil)
        #expect(labels.allSatisfy { $0.source == .imported && $0.classId == 30 && $0.annotatorId == nil })
        #expect(labels.allSatisfy { abs($0.geometry.area - 78_400) < 1 })
        await #expect(throws: LabelingError.self) {
            try await world.service.importLabels(sceneId: world.sceneA, path: dir.file("in.gpkg"),
                                                 options: ImportOptions(layer: "nope", fixedClass: "grassland"), by: .commandLine)
        }
    }

    @Test func editedPreLabelsBecomeManualAndUntouchedOnesKeepTheirSource() async throws {
        let world = try await TestWorld.make()
        _ = try await world.service.importLabels(sceneId: world.sceneA, data: Array(try geoJSON().utf8),
                                                 options: ImportOptions(classField: "kind", source: .model), by: .commandLine)
        let annotator = try await world.service.authenticate(token: world.annotator)
        let task = try await world.service.claim(projectId: world.projectA, by: annotator)!
        let current = try await world.service.labels(taskId: task.id, space: .pixel, for: annotator)
        try await world.test { client in
            // Send the pre-label back untouched, and a new one.
            let original = current.features[0]
            let ring = original.geometry.polygons[0][0]
            let body: [String: Any] = ["type": "FeatureCollection", "features": [
                ["type": "Feature", "id": original.id, "geometry": ["type": "Polygon", "coordinates": [ring]],
                 "properties": ["class": "cropland"]],
                ["type": "Feature", "geometry": ["type": "Polygon", "coordinates": [pixelSquare(5, 5, 10)]],
                 "properties": ["class": "grassland", "secondsSpent": 42]],
            ]]
            let reply = try await client.call(.put, "/api/v1/tasks/\(task.id)/labels?crs=pixel", token: world.annotator, json: body)
            #expect(reply.status == .ok, "\(reply.text)")
            let properties = (reply.object["features"] as! [[String: Any]]).map { $0["properties"] as! [String: Any] }
            #expect(properties[0]["source"] as? String == "model" && properties[0]["version"] as? Int == 2)
            #expect(properties[1]["source"] as? String == "manual" && properties[1]["secondsSpent"] as? Double == 42)
        }
    }
}
