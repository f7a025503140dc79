import Foundation
import Synchronization
import SwathGeo
import SwathLabels

/// The STAC API over releases: a collection per release the caller trains on
/// or manages, an item per chip, and item search across them. What a caller
/// may see is decided by the service on every request; the releases
/// themselves, being immutable, are read and indexed once.
public final class StacService: Sendable {
    let service: LabelingService
    let releases: ReleaseChipService

    public init(service: LabelingService, releases: ReleaseChipService) {
        self.service = service
        self.releases = releases
    }

    public func landing(_ links: StacLinks, by caller: User) async throws -> JSONValue {
        _ = try await service.trainingReleases(for: caller)
        return StacDocuments.landing(links)
    }

    public func conformance(by caller: User) async throws -> JSONValue {
        _ = try await service.trainingReleases(for: caller)
        return StacDocuments.conformance()
    }

    public func collections(_ links: StacLinks, by caller: User) async throws -> JSONValue {
        var collections: [JSONValue] = []
        for release in try await service.trainingReleases(for: caller) {
            collections.append(StacDocuments.collection(try await releases.snapshot(release, by: caller).stacEntries, links))
        }
        return .object([
            "collections": .array(collections),
            "links": .array([links.link("self", "/collections"), links.link("root", ""), links.link("parent", "")]),
        ])
    }

    public func collection(_ id: String, _ links: StacLinks, by caller: User) async throws -> JSONValue {
        StacDocuments.collection(try await entries(Self.releaseId(id), by: caller), links)
    }

    public func item(_ collectionId: String, _ itemId: String, _ links: StacLinks, by caller: User) async throws -> [UInt8] {
        let release = try await entries(Self.releaseId(collectionId), by: caller)
        guard let position = release.positionById[itemId] else { throw LabelingError.notFound("item '\(itemId.prefix(80))' is not in \(collectionId)") }
        return release.itemBytes(position, links)
    }

    /// A collection's items (the Features API): `bbox`, `datetime`, `limit` and the page token apply.
    public func items(_ collectionId: String, _ request: StacSearchRequest, query: [String: String], _ links: StacLinks,
                      by caller: User) async throws -> [UInt8] {
        let release = try await entries(Self.releaseId(collectionId), by: caller)
        var scoped = request
        scoped.collections = nil
        scoped.ids = nil
        let page = try await page([release.snapshot.release.id], { _ in release }, request: scoped)
        var pageLinks = [links.link("self", "/collections/\(collectionId)/items", type: "application/geo+json"),
                         links.link("root", ""), links.link("collection", "/collections/\(collectionId)")]
        if let next = page.next {
            pageLinks.append(nextGET(links, path: "/collections/\(collectionId)/items", query: query, token: next))
        }
        return featureCollection(page, links, pageLinks)
    }

    /// Item search over every release the caller may read (or those named in `collections`).
    public func search(_ request: StacSearchRequest, method: String, query: [String: String], body: JSONValue?, _ links: StacLinks,
                       by caller: User) async throws -> [UInt8] {
        var visible = try await service.trainingReleases(for: caller)
        if let wanted = request.collections {
            let named = Set(wanted.compactMap { try? Self.releaseId($0) })
            visible = visible.filter { named.contains($0.id) }
        }
        // Releases before the page's token are never read; the rest only until the page is full.
        let byId = Dictionary(visible.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let page = try await page(visible.map(\.id), { [releases] id in
            guard let release = byId[id] else { throw LabelingError.notFound("collection 'release-\(id)' not found") }
            return try await releases.snapshot(release, by: caller).stacEntries
        }, request: request)
        var pageLinks = [links.link("self", "/search", type: "application/geo+json"), links.link("root", "")]
        if let next = page.next {
            if method == "POST" {
                pageLinks.append(links.link("next", "/search", type: "application/geo+json",
                                            extra: ["method": .string("POST"), "merge": .bool(true), "body": .object(["token": .string(next.text)])]))
            } else {
                pageLinks.append(nextGET(links, path: "/search", query: query, token: next))
            }
        }
        return featureCollection(page, links, pageLinks)
    }

    // MARK: - Paging

    struct Page {
        var items: [(position: Int, release: StacEntries)] = []
        var next: StacPageToken?
        var matched = 0
    }

    /// Up to `limit` matching chips, in release order then chip order, from the token on; `load`
    /// reads a release's index only when the page reaches it.
    func page(_ releaseIds: [ReleaseID], _ load: (ReleaseID) async throws -> StacEntries, request: StacSearchRequest) async throws -> Page {
        let filter = try StacFilter(request)
        var page = Page()
        for releaseId in releaseIds.sorted() {
            var start = 0
            if let token = request.token {
                if releaseId < token.releaseId { continue }
                if releaseId == token.releaseId { start = token.position }
            }
            let release = try await load(releaseId)
            var position = start
            while position < release.entries.count {
                if filter.matches(release.entries[position]) {
                    if page.items.count == request.limit {
                        page.next = StacPageToken(releaseId: releaseId, position: position)
                        return page
                    }
                    page.items.append((position, release))
                }
                position += 1
            }
        }
        return page
    }

    /// The page's ItemCollection, its items' bytes spliced in as they were serialized.
    private func featureCollection(_ page: Page, _ links: StacLinks, _ pageLinks: [JSONValue]) -> [UInt8] {
        var bytes = Array(#"{"type":"FeatureCollection","numberReturned":"#.utf8) + Array(String(page.items.count).utf8)
        bytes += Array(#","links":"#.utf8) + JSONValue.array(pageLinks).serialized + Array(#","features":["#.utf8)
        for (index, item) in page.items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += item.release.itemBytes(item.position, links)
        }
        bytes += Array("]}".utf8)
        return bytes
    }

    private func nextGET(_ links: StacLinks, path: String, query: [String: String], token: StacPageToken) -> JSONValue {
        var parameters = query
        parameters["token"] = token.text
        var components = URLComponents()
        components.queryItems = parameters.keys.sorted().map { URLQueryItem(name: $0, value: parameters[$0]) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return .object(["rel": .string("next"), "href": .string(links.href(path) + "?" + encoded),
                        "type": .string("application/geo+json"), "method": .string("GET")])
    }

    // MARK: - Releases

    /// The release's search index, made once with its snapshot (access checked on every call).
    func entries(_ releaseId: ReleaseID, by caller: User) async throws -> StacEntries {
        try await releases.snapshot(releaseId, by: caller).stacEntries
    }

    /// "release-7" → 7; anything else is a collection that does not exist.
    static func releaseId(_ collectionId: String) throws -> ReleaseID {
        guard collectionId.hasPrefix("release-"), let id = ReleaseID(collectionId.dropFirst("release-".count)), id > 0 else {
            throw LabelingError.notFound("collection '\(collectionId.prefix(80))' not found")
        }
        return id
    }
}
