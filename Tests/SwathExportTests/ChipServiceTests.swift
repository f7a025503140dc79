import Foundation
import Testing
@testable import SwathExport
import SwathGeo
import SwathLabels
import SwathTestSupport

/// The pull API's chip cache: one render per chip, one wildfire context per
/// scene and version, and old versions pruned to a disk budget.
@Suite struct ChipServiceTests {
    /// 100-pixel chips over the 256 × 192 fixture: six, every one served.
    private func chips(_ world: ExportWorld, folder: String, budget: Int = 1 << 30) -> ChipService {
        var options = ExportOptions()
        options.chipSize = 100
        options.backgroundRatio = 1
        return ChipService(service: world.service, cacheDirectory: world.directory.url.appendingPathComponent(folder),
                           budgetBytes: budget, options: options)
    }

    private func chipIds(_ service: ChipService, _ world: ExportWorld) async throws -> [String] {
        let page = try await service.list(projectId: world.projectId, split: nil, cursor: nil, limit: 100, by: world.trainer)
        return page.chips.compactMap { chip -> String? in
            guard case .object(let fields) = chip, case .string(let id)? = fields["id"] else { return nil }
            return "p\(world.projectId)_\(id)"
        }
    }

    @Test func concurrentRequestsForOneChipShareOneRender() async throws {
        let world = try await ExportWorld.make()
        let service = chips(world, folder: "cache")
        let chip = try #require(try await chipIds(service, world).first)
        let names = ["image.tif", "mask.tif", "labels.geojson", "labels.pixel.json", "item.json"]
        let files = try await withThrowingTaskGroup(of: (String, Data?).self) { group in
            for index in 0..<15 {
                let name = names[index % names.count]
                group.addTask { (name, try await service.file(chipId: chip, name: name, by: world.trainer).data) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(service.chipRenders.renderCount == 1)
        for (name, data) in files {
            #expect(data != nil && data == files.first { $0.0 == name }?.1, "\(name)")
        }
        let etag = try await service.file(chipId: chip, name: "image.tif", by: world.trainer).etag
        let unchanged = try await service.file(chipId: chip, name: "image.tif", by: world.trainer, ifNoneMatch: etag)
        #expect(unchanged.data == nil && unchanged.etag == etag)
    }

    /// wildfire.tif for several chips of one scene: the scene-wide fire
    /// context is made once, and each chip's stack is the one a run for that
    /// chip alone writes.
    @Test func wildfireContextIsMadeOncePerSceneAndVersion() async throws {
        let world = try await ExportWorld.make()
        let service = chips(world, folder: "cache")
        let ids = try await chipIds(service, world)
        #expect(ids.count == 6)
        let stacks = try await withThrowingTaskGroup(of: (String, Data).self) { group in
            for id in ids.prefix(3) {
                group.addTask { (id, try #require(try await service.file(chipId: id, name: "wildfire.tif", by: world.trainer).data)) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        _ = try await service.file(chipId: ids[5], name: "wildfire.tif", by: world.trainer)
        #expect(service.wildfireRenders.renderCount == 1)

        let source = try await world.service.exportSource(projectId: world.projectId, statuses: [.accepted], by: world.trainer)
        let folder = try TemporaryDirectory()
        for (id, data) in stacks {
            let (_, sceneId, row, col) = try #require(ChipService.parse(id))
            let window = Window(col: col * 100, row: row * 100, width: 100, height: 100)
            let alone = folder.file("\(id).tif"), served = folder.file("\(id).served.tif")
            try source.writeWildfireStacks(sceneId: sceneId, dem: nil, options: ChipService.wildfireOptions(threads: 1), targets: [(window, URL(fileURLWithPath: alone))])
            try data.write(to: URL(fileURLWithPath: served))
            let a = try Raster.open(alone), b = try Raster.open(served)
            #expect(a.bandCount == b.bandCount && a.bandCount > 0)
            #expect(try a.read(a.bounds, as: Float.self) == b.read(b.bounds, as: Float.self), "\(id)")
        }
    }

    /// A version's chips fit the budget; the next version's render removes it.
    @Test func pruningKeepsTheNewestVersionWithinBudget() async throws {
        let world = try await ExportWorld.make()
        let measuring = chips(world, folder: "measure")
        let chip = try #require(try await chipIds(measuring, world).first)
        _ = try await measuring.file(chipId: chip, name: "image.tif", by: world.trainer)
        let oneVersion = ChipCache.size(of: measuring.cacheDirectory)
        #expect(oneVersion > 0)

        let service = chips(world, folder: "cache", budget: oneVersion * 3 / 2)
        _ = try await service.file(chipId: chip, name: "image.tif", by: world.trainer)
        let project = service.cacheDirectory.appendingPathComponent("p\(world.projectId)")
        let first = try FileManager.default.contentsOfDirectory(atPath: project.path)
        // Any change to the project moves its version on.
        let (user, _) = try await world.service.createUser(name: "newcomer", isAdmin: false, by: .commandLine)
        try await world.service.addMember(projectId: world.projectId, userId: user.id, role: .reviewer, by: .commandLine)
        _ = try await service.file(chipId: chip, name: "mask.tif", by: world.trainer)
        let second = try FileManager.default.contentsOfDirectory(atPath: project.path)
        #expect(first.count == 1 && second.count == 1 && first != second, "\(first) then \(second)")
        #expect(service.cache.totalBytes <= oneVersion * 3 / 2)
        #expect(ChipCache.size(of: service.cacheDirectory) == service.cache.totalBytes, "the tally matches the disk")
    }

    /// Least recently used versions go first; a leased one never does; what
    /// a stopped server left half-written is cleared at start.
    @Test func cacheLeasesAndLeastRecentlyUsed() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.url
        for name in ["p1/v1", "p1/v2", "p2/v1"] {
            let chipsFolder = root.appendingPathComponent(name).appendingPathComponent("chips")
            try FileManager.default.createDirectory(at: chipsFolder.appendingPathComponent("s1_r0000_c0000"), withIntermediateDirectories: true)
            try Data(count: 1000).write(to: chipsFolder.appendingPathComponent("s1_r0000_c0000/image.tif"))
        }
        let unfinished = root.appendingPathComponent("p1/v2/chips/.s1_r0000_c0001.1234.partial")
        try FileManager.default.createDirectory(at: unfinished, withIntermediateDirectories: true)
        try Data(count: 500).write(to: unfinished.appendingPathComponent("image.tif"))

        let cache = ChipCache(directory: root, budgetBytes: 2500)
        #expect(!FileManager.default.fileExists(atPath: unfinished.path))
        #expect(cache.totalBytes == 3000)
        try await cache.using(projectId: 2, version: 1) {}
        try await cache.using(projectId: 1, version: 2) {}
        // p1/v1 is the least recently used, but in use: p2/v1 goes instead.
        try await cache.using(projectId: 1, version: 1) { cache.prune() }
        let exists = { (name: String) in FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path) }
        #expect(exists("p1/v1") && exists("p1/v2") && !exists("p2/v1"))
        #expect(cache.totalBytes == 2000)
        let trash = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".") }
        #expect(trash.isEmpty, "removed, not only renamed: \(trash)")
    }
}

/// Servers on several machines sharing rendered chips through S3 (moto on loopback).
@Suite struct SharedChipCacheTests {
    static let names = ["image.tif", "mask.tif", "labels.geojson", "labels.pixel.json", "item.json"]
    static let secret = String(repeating: "shared-chip-secret-", count: 3)

    private func chips(_ world: ExportWorld, folder: String, shared: ObjectPrefix?, secret: String? = SharedChipCacheTests.secret) -> ChipService {
        var options = ExportOptions()
        options.chipSize = 100
        options.backgroundRatio = 1
        return ChipService(service: world.service, cacheDirectory: world.directory.url.appendingPathComponent(folder),
                           options: options, shared: shared, pseudonymSecret: secret)
    }

    private func firstChip(_ service: ChipService, _ world: ExportWorld) async throws -> [String] {
        let page = try await service.list(projectId: world.projectId, split: nil, cursor: nil, limit: 100, by: world.trainer)
        return page.chips.compactMap { chip -> String? in
            guard case .object(let fields) = chip, case .string(let id)? = fields["id"] else { return nil }
            return "p\(world.projectId)_\(id)"
        }
    }

    private func files(_ service: ChipService, _ chip: String, _ world: ExportWorld, names: [String] = names) async throws -> [String: Data] {
        var found: [String: Data] = [:]
        for name in names { found[name] = try await service.file(chipId: chip, name: name, by: world.trainer).data }
        return found
    }

    /// Server A renders and uploads; server B copies A's chip and stack instead of rendering; a server
    /// rendering on its own with the same secret writes the same bytes (pseudonyms agree); a new
    /// version's first render removes the old one from the prefix.
    @Test func aChipRenderedByOneServerIsServedByAnother() async throws {
        let s3 = try MotoS3.forThisProcess()
        try s3.put(Fixture.path("utm_multiband.tif"), bucket: "shared-chips", key: "seed.tif")
        let world = try await ExportWorld.make()
        let prefix = try #require(try ObjectPrefix.parse("s3://shared-chips/servers/"))
        let a = chips(world, folder: "a", shared: prefix), b = chips(world, folder: "b", shared: prefix)
        let ids = try await firstChip(a, world)
        #expect(ids.count == 6)
        let fromA = try await files(a, ids[0], world)
        let version = try await world.service.exportVersion(projectId: world.projectId, statuses: [.accepted], by: world.trainer)
        let chipPart = String(ids[0].split(separator: "_", maxSplits: 1)[1])
        let listed = try prefix.appending("p\(world.projectId)/v\(version)/chips/\(chipPart)").list()
        #expect(Set(listed.keys) == Set(Self.names), "\(listed)")

        let fromB = try await files(b, ids[0], world)
        #expect(fromB == fromA)
        #expect(b.shared?.fetchCount == 1, "B copied the chip rather than rendering it")
        let alone = try await files(chips(world, folder: "alone", shared: nil), ids[0], world)
        #expect(alone == fromA, "the same secret gives the same pseudonyms, so the same bytes")

        // A's first stack renders the whole scene's and shares them; B copies the second chip's.
        let stackA = try #require(try await a.file(chipId: ids[1], name: "wildfire.tif", by: world.trainer).data)
        let stackB = try #require(try await b.file(chipId: ids[1], name: "wildfire.tif", by: world.trainer).data)
        #expect(stackA == stackB && b.shared?.fetchCount == 2)
        #expect(try prefix.appending("p\(world.projectId)/v\(version)/wildfire").list().count == 6)

        // Any change to the project moves its version on; the old one leaves the prefix.
        let (user, _) = try await world.service.createUser(name: "newcomer", isAdmin: false, by: .commandLine)
        try await world.service.addMember(projectId: world.projectId, userId: user.id, role: .reviewer, by: .commandLine)
        _ = try await files(a, ids[0], world, names: ["mask.tif"])
        let newVersion = try await world.service.exportVersion(projectId: world.projectId, statuses: [.accepted], by: world.trainer)
        #expect(newVersion > version)
        let project = prefix.appending("p\(world.projectId)")
        var versions = try project.subfolders()
        for _ in 0..<100 where versions.count > 1 {
            try await Task.sleep(for: .milliseconds(100))
            versions = try project.subfolders()
        }
        #expect(versions == ["v\(newVersion)"], "\(versions)")
    }

    /// A store that cannot be reached costs the copy, never the chip: rendered here, as without one.
    @Test func anUnreachableStoreStillServesChips() async throws {
        _ = try MotoS3.forThisProcess()
        let world = try await ExportWorld.make()
        let missing = try #require(try ObjectPrefix.parse("s3://no-such-chip-bucket/servers/"))
        let service = chips(world, folder: "a", shared: missing)
        let ids = try await firstChip(service, world)
        let served = try await files(service, ids[0], world)
        let alone = try await files(chips(world, folder: "alone", shared: nil), ids[0], world)
        #expect(served == alone && service.shared?.fetchCount == 0)
    }
}
