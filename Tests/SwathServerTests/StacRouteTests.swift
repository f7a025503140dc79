import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport

/// The STAC API over releases, in-process: the landing page and its links, collections, every
/// chip exactly once through next links, filters, roles, and chip files equal to the release's export.
@Suite struct StacRouteTests {
    /// Project A's labels accepted, then a release of them in 64-pixel chips, background included (12 chips).
    static func world() async throws -> (TestWorld, ReleaseView) {
        let world = try await TestWorld.make()
        try await world.acceptEverything()
        var request = ExportRequest()
        request.chipSize = 64
        request.backgroundRatio = 1
        let release = try await ReleaseMaker(service: world.service).create(projectId: world.projectA, name: "stac", request: request, by: .commandLine)
        return (world, release)
    }

    @Test func landingConformanceAndCollections() async throws {
        let (world, release) = try await Self.world()
        try await world.test { client in
            let landing = try await client.call(.get, "/api/v1/stac", token: world.trainer)
            #expect(landing.status == .ok && landing.object["type"] as? String == "Catalog")
            let links = try #require(landing.object["links"] as? [[String: Any]])
            let rels = links.compactMap { $0["rel"] as? String }
            #expect(Set(rels).isSuperset(of: ["self", "root", "conformance", "data", "search", "service-desc"]))
            #expect(links.filter { $0["rel"] as? String == "search" }.compactMap { $0["method"] as? String }.sorted() == ["GET", "POST"])
            #expect((landing.object["conformsTo"] as? [String])?.contains("https://api.stacspec.org/v1.0.0/item-search") == true)
            #expect(try await client.call(.get, "/api/v1/stac", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/stac", token: world.reviewer).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/stac/conformance", token: world.manager).object["conformsTo"] != nil)

            let collections = try await client.call(.get, "/api/v1/stac/collections", token: world.trainer)
            let list = try #require(collections.object["collections"] as? [[String: Any]])
            #expect(list.compactMap { $0["id"] as? String } == ["release-\(release.id)"])
            let collection = try await client.call(.get, "/api/v1/stac/collections/release-\(release.id)", token: world.trainer)
            #expect(collection.object["type"] as? String == "Collection" && collection.object["license"] as? String == "proprietary")
            #expect(!(String(data: try JSONSerialization.data(withJSONObject: collection.object), encoding: .utf8) ?? "").contains("Acme"),
                    "the customer stays hidden")
            #expect(try await client.call(.get, "/api/v1/stac/collections/release-\(release.id)", token: world.outsider).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/stac/collections/release-\(release.id)", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/stac/collections/release-999", token: world.trainer).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/stac/collections/nonsense", token: world.trainer).status == .notFound)
        }
    }

    /// Pages of 5 followed through their next links (GET and POST) give every chip of the release once.
    @Test func nextLinksWalkEveryChipOnce() async throws {
        let (world, release) = try await Self.world()
        try await world.test { client in
            var seen: [String] = []
            var path: String? = "/api/v1/stac/search?limit=5&collections=release-\(release.id)"
            while let next = path {
                let page = try await client.call(.get, next, token: world.trainer)
                #expect(page.status == .ok && page.headers[.contentType] == "application/geo+json", "\(page.object)")
                let features = try #require(page.object["features"] as? [[String: Any]])
                #expect(features.count <= 5)
                seen += features.compactMap { $0["id"] as? String }
                let link = (page.object["links"] as? [[String: Any]])?.first { $0["rel"] as? String == "next" }
                path = (link?["href"] as? String).map { String($0[$0.range(of: "/api/v1/")!.lowerBound...]) }
            }
            #expect(seen.count == release.chipCount && Set(seen).count == seen.count && release.chipCount == 12, "\(seen)")

            var posted: [String] = []
            var body: [String: Any] = ["limit": 5, "collections": ["release-\(release.id)"]]
            while true {
                let page = try await client.call(.post, "/api/v1/stac/search", token: world.trainer, json: body)
                posted += (page.object["features"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                guard let next = (page.object["links"] as? [[String: Any]])?.first(where: { $0["rel"] as? String == "next" }) else { break }
                #expect(next["method"] as? String == "POST" && next["merge"] as? Bool == true)
                body.merge(next["body"] as? [String: Any] ?? [:]) { $1 }
            }
            #expect(posted == seen)
        }
    }

    /// Filters against the release's own manifest (written by the exporter, not by the STAC code).
    @Test func filtersAgreeWithTheReleasesManifest() async throws {
        let (world, release) = try await Self.world()
        let out = world.directory.url.appendingPathComponent("release")
        _ = try await ReleaseExporter(service: world.service, releaseId: release.id).run(into: out, by: .commandLine)
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8).split(separator: "\n").map {
            let entry = try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            return (id: entry["id"] as? String ?? "", split: entry["split"] as? String ?? "", bbox: entry["bbox"] as? [Double] ?? [])
        }
        try await world.test { client in
            for split in ["train", "validation", "test"] {
                let query = #"{"swath:split":{"eq":"\#(split)"}}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let page = try await client.call(.get, "/api/v1/stac/search?limit=100&query=\(query)", token: world.trainer)
                let ids = Set((page.object["features"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                let expected = Set(manifest.filter { $0.split == split }.map(\.id))
                #expect(ids == expected, "\(split)")
            }
            // The first chip's own bbox finds it; one on the other side of the world finds nothing.
            let bbox = try #require(manifest.first { $0.id == "s\(world.sceneA)_r0000_c0000" }?.bbox)
            let inner = [bbox[0] + 1e-6, bbox[1] + 1e-6, bbox[0] + 2e-6, bbox[1] + 2e-6].map { String($0) }.joined(separator: ",")
            let hits = try await client.call(.get, "/api/v1/stac/search?bbox=\(inner)", token: world.trainer)
            #expect((hits.object["features"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.contains("s\(world.sceneA)_r0000_c0000") == true)
            #expect((try await client.call(.get, "/api/v1/stac/search?bbox=10,10,11,11", token: world.trainer).object["features"] as? [Any])?.isEmpty == true)
            let point = #"{"type":"Point","coordinates":[\#((bbox[0] + bbox[2]) / 2),\#((bbox[1] + bbox[3]) / 2)]}"#
            let intersecting = try await client.call(.post, "/api/v1/stac/search", token: world.trainer,
                                                     json: ["intersects": try JSONSerialization.jsonObject(with: Data(point.utf8))])
            #expect((intersecting.object["features"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["s\(world.sceneA)_r0000_c0000"])
            let ids = try await client.call(.get, "/api/v1/stac/search?ids=s\(world.sceneA)_r0000_c0001,nope", token: world.trainer)
            #expect((ids.object["features"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["s\(world.sceneA)_r0000_c0001"])
            for bad in ["bbox=1,2,3", "limit=-1", "datetime=1985-04-12", "bbox=0,0,1,1&intersects=%7B%22type%22%3A%22Point%22%2C%22coordinates%22%3A%5B0%2C0%5D%7D"] {
                let reply = try await client.call(.get, "/api/v1/stac/search?\(bad)", token: world.trainer)
                #expect(reply.status == .badRequest, "\(bad): \(reply.object)")
            }
            // An item's assets are the release's chip files, equal to the release's export.
            let item = try await client.call(.get, "/api/v1/stac/collections/release-\(release.id)/items/s\(world.sceneA)_r0000_c0000",
                                             token: world.trainer)
            let assets = try #require(item.object["assets"] as? [String: [String: Any]])
            for (name, file) in [("labels", "labels.geojson"), ("mask", "mask.tif"), ("image", "image.tif")] {
                let href = try #require(assets[name]?["href"] as? String)
                let path = String(href[href.range(of: "/api/v1/")!.lowerBound...])
                let served = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(world.trainer)"])
                #expect(served.status == .ok)
                let exported = try Data(contentsOf: out.appendingPathComponent("chips/s\(world.sceneA)_r0000_c0000/\(file)"))
                #expect(Data(served.body.readableBytesView) == exported, "\(file)")
            }
            let annotatorFile = try await client.call(.get, "/api/v1/releases/\(release.id)/chips/s\(world.sceneA)_r0000_c0000/image.tif",
                                                      token: world.annotator)
            #expect(annotatorFile.status == .forbidden)

            // The card over HTTP: the same JSON as the export's, its previews, and nothing else by that route.
            let card = try await client.execute(uri: "/api/v1/releases/\(release.id)/card", method: .get, headers: [.authorization: "Bearer \(world.trainer)"])
            let exportedCard = try Data(contentsOf: out.appendingPathComponent("card.json"))
            #expect(card.status == .ok && Data(card.body.readableBytesView) == exportedCard)
            let previews = try #require((try JSONSerialization.jsonObject(with: exportedCard) as? [String: Any])?["previews"] as? [String: String])
            let previewName = try #require(previews.values.sorted().first)
            let preview = try await client.execute(uri: "/api/v1/releases/\(release.id)/card/\(previewName)", method: .get,
                                                   headers: [.authorization: "Bearer \(world.manager)"])
            let exportedPreview = try Data(contentsOf: out.appendingPathComponent(previewName))
            #expect(preview.status == .ok && preview.headers[.contentType] == "image/png" && Data(preview.body.readableBytesView) == exportedPreview)
            #expect(try await client.call(.get, "/api/v1/releases/\(release.id)/card/manifest.jsonl", token: world.trainer).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/releases/\(release.id)/card", token: world.annotator).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/releases/\(release.id)/card", token: world.outsider).status == .notFound)
        }
    }
}
