import Foundation
import Testing
import SwathGeo
import SwathLabels
import SwathTestSupport

@Suite struct StoreTests {
    @Test func auditTrailIsAppendOnlyInTheDatabaseItself() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("audit.sqlite")
        let service = LabelingService(store: try SQLiteStore(path: path))
        _ = try await service.createUser(name: "root", isAdmin: true, by: .commandLine)
        for statement in ["UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"] {
            let result = try Shell.run("sqlite3", [path, statement])
            #expect(result.status != 0 && result.stderr.contains("append-only"), "\(statement) was allowed")
        }
    }

    @Test func mutationAndAuditCommitTogether() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("tx.sqlite"))
        let service = LabelingService(store: store)
        let project = try await service.createProject(ProjectDraft(customer: "Acme", codename: "OSPREY"), by: .commandLine)
        // A duplicate codename fails inside the transaction: no second project, no second audit event.
        await #expect(throws: LabelingError.self) {
            try await service.createProject(ProjectDraft(customer: "Other", codename: "OSPREY"), by: .commandLine)
        }
        #expect(try await store.projects(memberId: nil).count == 1)
        #expect(try await store.auditEvents(projectId: project.id, afterId: 0, limit: 10).map(\.action) == ["project.created"])
    }

    /// The cache version moves on with every change, once per audit event, in the same transaction;
    /// reads leave it alone, and a refused change does not move it.
    @Test func projectVersionCountsEveryChange() async throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("version.sqlite"))
        let service = LabelingService(store: store)
        let project = try await service.createProject(ProjectDraft(customer: "Acme", codename: "OSPREY"), by: .commandLine)
        #expect(try await store.projectVersion(projectId: project.id) == 1)
        let (user, _) = try await service.createUser(name: "ann", isAdmin: false, by: .commandLine)
        try await service.addMember(projectId: project.id, userId: user.id, role: .annotator, by: .commandLine)
        #expect(try await store.projectVersion(projectId: project.id) == 2)
        _ = try await service.registerScene(projectId: project.id, SceneRegistration(uri: Fixture.path("utm_multiband.tif")), by: .commandLine)
        let events = try await store.auditEvents(projectId: project.id, afterId: 0, limit: 100).count
        #expect(try await store.projectVersion(projectId: project.id) == Int64(events))
        _ = try await service.projects(for: .commandLine)
        #expect(try await store.projectVersion(projectId: project.id) == Int64(events))
        await #expect(throws: LabelingError.self) {
            try await service.addMember(projectId: project.id, userId: 9999, role: .annotator, by: .commandLine)
        }
        #expect(try await store.projectVersion(projectId: project.id) == Int64(events))
    }

    @Test func reopeningKeepsEverythingAndMigratesOnce() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("reopen.sqlite")
        let token: String
        do {
            let service = LabelingService(store: try SQLiteStore(path: path))
            token = try await service.createUser(name: "root", isAdmin: true, by: .commandLine).token
        }
        let reopened = LabelingService(store: try SQLiteStore(path: path))
        #expect(try await reopened.authenticate(token: token).name == "root")
    }

    @Test func unopenableDatabaseIsAClearError() throws {
        #expect(throws: LabelingError.self) { try SQLiteStore(path: "/proc/swath/none.sqlite") }
    }
}

@Suite struct TaxonomyTests {
    @Test func standardTaxonomyHasTheThreeGroups() throws {
        let classes = Taxonomy.standard.classes
        #expect(classes.filter { $0.group == "land cover" }.count == 11)
        #expect(classes.filter { $0.group == "burn scar" }.map(\.name)
                == ["unburned", "low severity", "moderate-low severity", "moderate-high severity", "high severity"])
        #expect(classes.filter { $0.group == "structure" }.map(\.name)
                == ["building", "damaged building", "destroyed building", "road", "bridge", "other"])
        #expect(classes.first { $0.name == "tree cover" }?.id == 10)  // ESA WorldCover's own code
        try Taxonomy.standard.validate()
    }

    @Test func classesResolveByIdOrName() throws {
        #expect(Taxonomy.standard.resolve("40")?.name == "cropland")
        #expect(Taxonomy.standard.resolve("Cropland")?.id == 40)
        #expect(Taxonomy.standard.resolve("volcano") == nil)
    }

    @Test func badTaxonomiesAreRefused() throws {
        let duplicate = Taxonomy(classes: [TaxonomyClass(id: 1, name: "a", group: "g", color: "#000000"),
                                           TaxonomyClass(id: 1, name: "b", group: "g", color: "#000000")])
        #expect(throws: LabelingError.self) { try duplicate.validate() }
        let background = Taxonomy(classes: [TaxonomyClass(id: 0, name: "a", group: "g", color: "#000000")])
        #expect(throws: LabelingError.self) { try background.validate() }
        let colour = Taxonomy(classes: [TaxonomyClass(id: 1, name: "a", group: "g", color: "red")])
        #expect(throws: LabelingError.self) { try colour.validate() }
    }
}

@Suite struct TokenTests {
    @Test func tokensAreRandomAndHashedWithSHA256() throws {
        let a = TokenCodec.newToken(), b = TokenCodec.newToken()
        #expect(a != b && a.hasPrefix("swath_") && a.count == 6 + 43)
        // SHA-256("abc"), from FIPS 180-2's test vectors.
        #expect(TokenCodec.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct GeometryTests {
    @Test func validityAndClippingAgreeWithOGR() throws {
        let bowTie = MultiPolygon(Polygon(rings: [[Point(x: 0, y: 0), Point(x: 1, y: 1), Point(x: 1, y: 0), Point(x: 0, y: 1), Point(x: 0, y: 0)]]))
        #expect(bowTie.validityProblem?.contains("Self-intersection") == true)
        let square = MultiPolygon.rectangle(minX: 0, minY: 0, maxX: 10, maxY: 10)
        #expect(square.validityProblem == nil)
        let clipped = try square.intersection(.rectangle(minX: 5, minY: -5, maxX: 20, maxY: 5))
        #expect(abs(clipped.area - 25) < 1e-12)
        let back = try MultiPolygon(wkb: clipped.wkb)
        #expect(abs(back.area - 25) < 1e-12)
    }

    @Test func sameShapeWhateverTheStartVertexOrWinding() throws {
        let square = MultiPolygon.rectangle(minX: 0, minY: 0, maxX: 10, maxY: 10)
        let ring = square.polygons[0].rings[0]
        let rotated = MultiPolygon(Polygon(rings: [Array(ring[2..<4] + ring[0..<3])].map { Array($0.reversed()) }))
        #expect(try square.isAlmostEqual(to: rotated, tolerance: 1e-9))
        #expect(try square.isAlmostEqual(to: square.map { Point(x: $0.x + 1e-7, y: $0.y) }, tolerance: 1e-6))
        #expect(try !square.isAlmostEqual(to: square.map { Point(x: $0.x + 0.5, y: $0.y) }, tolerance: 1e-6))
    }

    @Test func rightHandRuleOrientsRings() throws {
        let clockwise = Polygon(rings: [[Point(x: 0, y: 0), Point(x: 0, y: 10), Point(x: 10, y: 10), Point(x: 10, y: 0), Point(x: 0, y: 0)],
                                        [Point(x: 2, y: 2), Point(x: 4, y: 2), Point(x: 4, y: 4), Point(x: 2, y: 4), Point(x: 2, y: 2)]])
        let fixed = clockwise.rightHanded
        #expect(Polygon.signedArea(fixed.rings[0]) > 0)
        #expect(Polygon.signedArea(fixed.rings[1]) < 0)
    }
}
