import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

/// Trainers pull chips over HTTP: paged metadata, files with ETags.
@Suite struct ChipRouteTests {
    @Test func trainersPageThroughChipsAndFetchFilesWithETags() async throws {
        let world = try await TestWorld.make()
        try await world.acceptEverything()
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

    /// The files of project A's first chip, as the chip list links them.
    private func firstChipFiles(_ world: TestWorld, _ client: any TestClientProtocol) async throws -> [String: String] {
        let page = try await client.call(.get, "/api/v1/projects/\(world.projectA)/chips?limit=1", token: world.trainer)
        let chips = try #require(page.object["chips"] as? [[String: Any]])
        return try #require(chips.first?["files"] as? [String: String])
    }

    /// Many requests for one chip's files at once: one render, every answer
    /// complete, and the same bytes for the same file.
    @Test func concurrentFetchesOfOneChipAgree() async throws {
        let world = try await TestWorld.make()
        try await world.acceptEverything()
        try await world.test { client in
            let files = try await firstChipFiles(world, client)
            let replies = try await withThrowingTaskGroup(of: (String, RawReply).self) { group in
                for _ in 0..<4 {
                    for (name, path) in files where name != "wildfire.tif" {
                        group.addTask { (name, try await client.fetch(path, token: world.trainer)) }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.count == 20)
            for (name, reply) in replies {
                #expect(reply.status == .ok, "\(name): \(reply.status)")
                let first = replies.first { $0.0 == name }!.1
                #expect(reply.bytes == first.bytes && !reply.bytes.isEmpty, "\(name) differs between concurrent fetches")
            }
            let again = try await client.fetch(files["image.tif"]!, token: world.trainer)
            #expect(again.bytes == replies.first { $0.0 == "image.tif" }!.1.bytes)
            let chips = world.directory.url.appendingPathComponent("chips")
            let leftovers = FileManager.default.enumerator(atPath: chips.path)?.compactMap { $0 as? String }
                .filter { ($0 as NSString).lastPathComponent.hasPrefix(".") } ?? []
            #expect(leftovers.isEmpty, "no temporary folder left behind: \(leftovers)")
        }
    }

    /// A chip whose scene file went away: the trainer learns which chip and
    /// scene, never where the file was (the path names the customer).
    @Test func chipErrorsNameNoPath() async throws {
        let folder = try TemporaryDirectory()
        let imagery = folder.url.appendingPathComponent("Acme Defense imagery")
        try FileManager.default.createDirectory(at: imagery, withIntermediateDirectories: true)
        let path = imagery.appendingPathComponent("acme-site-7.tif").path
        try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: path)
        let world = try await TestWorld.make(scenePath: path)
        try await world.acceptEverything()
        try FileManager.default.removeItem(atPath: path)
        try await world.test { client in
            let files = try await firstChipFiles(world, client)
            let chipId = try #require(files["image.tif"]?.split(separator: "/").dropLast().last.map(String.init))
            for name in ["image.tif", "mask.tif", "wildfire.tif"] {
                let reply = try await client.call(.get, files[name]!, token: world.trainer)
                #expect(reply.status == .notFound || reply.status == .badRequest, "\(name): \(reply.status)")
                #expect(reply.reason.contains("scene \(world.sceneA)"), "\(name): \(reply.reason)")
                for secret in [path, "acme-site-7", "Acme Defense", imagery.path, "/"] {
                    #expect(!reply.text.contains(secret), "\(name): '\(secret)' in \(reply.text)")
                }
                if name != "wildfire.tif" { #expect(reply.reason.contains(chipId), "\(reply.reason)") }
            }
        }
    }

    /// Chips of old project versions are removed past the disk budget; the
    /// version being served stays.
    @Test func oldChipVersionsArePrunedToTheBudget() async throws {
        let world = try await TestWorld.make()
        try await world.acceptEverything()
        let cache = world.directory.url.appendingPathComponent("chips")
        // One byte: every render overflows it, so each new version removes the older ones.
        try await world.test(options: world.options { $0.chipCacheBytes = 1 }) { client in
            let files = try await firstChipFiles(world, client)
            #expect(try await client.fetch(files["image.tif"]!, token: world.trainer).status == .ok)
            let project = cache.appendingPathComponent("p\(world.projectA)")
            let before = try FileManager.default.contentsOfDirectory(atPath: project.path)
            #expect(before.count == 1)
            let (newcomer, _) = try await world.service.createUser(name: "late reviewer", isAdmin: false, by: .commandLine)
            try await world.service.addMember(projectId: world.projectA, userId: newcomer.id, role: .reviewer, by: .commandLine)
            let image = try await client.fetch(files["image.tif"]!, token: world.trainer)
            #expect(image.status == .ok && !image.bytes.isEmpty, "the version being served is kept")
            let after = try FileManager.default.contentsOfDirectory(atPath: project.path).filter { !$0.hasPrefix(".") }
            #expect(after.count == 1 && after != before, "the old version went: \(before) → \(after)")
        }
    }
}

import NIOCore
