import Foundation
import HTTPTypes
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Trainers pull chips over HTTP: paged metadata, files with ETags.
@Suite struct ChipRouteTests {
    /// Accepts every task of project A after saving one square in the first.
    private func acceptEverything(_ world: TestWorld) async throws {
        let annotator = try await world.service.authenticate(token: world.annotator)
        let reviewer = try await world.service.authenticate(token: world.reviewer)
        var first = true
        while let task = try await world.service.claim(projectId: world.projectA, by: annotator) {
            if first {
                let body = try JSONParser.parse(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"class":"cropland"},"geometry":{"type":"Polygon","coordinates":[[[10,10],[60,10],[60,60],[10,60],[10,10]]]}}]}"#)
                _ = try await world.service.saveLabels(taskId: task.id, GeoJSONFeatureCollection(json: body), space: .pixel, by: annotator)
                first = false
            }
            _ = try await world.service.submit(taskId: task.id, by: annotator)
            _ = try await world.service.review(taskId: task.id, decision: .accept, comment: nil, by: reviewer)
        }
    }

    @Test func trainersPageThroughChipsAndFetchFilesWithETags() async throws {
        let world = try await TestWorld.make()
        try await acceptEverything(world)
        try await world.test { client in
            let path = "/api/v1/projects/\(world.projectA)/chips"
            #expect(try await client.call(.get, path, token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, path, token: world.outsider).status == .notFound)
            let first = try await client.call(.get, path + "?limit=1", token: world.trainer)
            #expect(first.status == .ok)
            let chips = first.object["chips"] as! [[String: Any]]
            #expect(chips.count == 1)
            let files = chips[0]["files"] as! [String: String]
            #expect(Set(files.keys) == ["image.tif", "mask.tif", "labels.geojson", "labels.pixel.json", "item.json", "wildfire.tif"])

            let labelsPath = files["labels.geojson"]!
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(world.trainer)"
            let response = try await client.execute(uri: labelsPath, method: .get, headers: headers)
            #expect(response.status == .ok)
            let etag = try #require(response.headers[.eTag])
            let geojson = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as! [String: Any]
            #expect(geojson["type"] as? String == "FeatureCollection")
            headers[.ifNoneMatch] = etag
            #expect(try await client.execute(uri: labelsPath, method: .get, headers: headers).status == .notModified)
            // Any change to the project moves its version on: the old ETag no longer matches.
            let (newcomer, _) = try await world.service.createUser(name: "late reviewer", isAdmin: false, by: .commandLine)
            try await world.service.addMember(projectId: world.projectA, userId: newcomer.id, role: .reviewer, by: .commandLine)
            let changed = try await client.execute(uri: labelsPath, method: .get, headers: headers)
            #expect(changed.status == .ok && changed.headers[.eTag] != etag)

            let image = try await client.execute(uri: files["image.tif"]!, method: .get, headers: [.authorization: "Bearer \(world.trainer)"])
            #expect(image.status == .ok && image.headers[.contentType]?.hasPrefix("image/tiff") == true)
            #expect(Array(Data(image.body.readableBytesView).prefix(2)) == [0x49, 0x49], "a little-endian TIFF")

            // The chip's wildfire stack: NDVI by the formula on image.tif's own pixels, the cropland square as land cover.
            let stack = try await client.execute(uri: files["wildfire.tif"]!, method: .get, headers: [.authorization: "Bearer \(world.trainer)"])
            #expect(stack.status == .ok && stack.headers[.contentType]?.hasPrefix("image/tiff") == true)
            let folder = try TemporaryDirectory()
            try Data(stack.body.readableBytesView).write(to: URL(fileURLWithPath: folder.file("wildfire.tif")))
            try Data(image.body.readableBytesView).write(to: URL(fileURLWithPath: folder.file("image.tif")))
            let features = try Raster.open(folder.file("wildfire.tif")), pixels = try Raster.open(folder.file("image.tif"))
            let names = features.bands.map(\.description)
            #expect(names == ["ndvi_post", "evi2_post", "land_cover"], "TestWorld's scene has red and nir roles, and one cropland label")
            let probe = Window(col: 100, row: 100, width: 1, height: 1)
            let red = Double(try pixels.read(probe, bands: [3], as: Float.self)[0]), nir = Double(try pixels.read(probe, bands: [4], as: Float.self)[0])
            #expect(abs(Double(try features.read(probe, bands: [1], as: Float.self)[0]) - (nir - red) / (nir + red)) <= 1e-6)
            // The 50 × 50-pixel square was saved in whichever task came first: 2,500 pixels of WorldCover 40, the rest 0.
            let cover = try features.read(features.bounds, bands: [3], as: Float.self)
            #expect(cover.filter { $0 == 40 }.count == 2500 && cover.filter { $0 != 40 && $0 != 0 && $0 != -9999 }.isEmpty)

            #expect(try await client.call(.get, "/api/v1/chips/p\(world.projectA)_s\(world.sceneA)_r0009_c0009/item.json",
                                          token: world.trainer).status == .notFound)
            #expect(try await client.call(.get, labelsPath.replacingOccurrences(of: "labels.geojson", with: "secrets.txt"),
                                          token: world.trainer).status == .notFound)
            #expect(try await client.call(.get, path + "?split=holdout", token: world.trainer).status == .badRequest)
        }
    }
}

import NIOCore
