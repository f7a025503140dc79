import Foundation
import Testing
import SwathTestSupport

/// `swath release` as an operator runs it: create, list, export, diff (table and JSON), and the refusals.
@Suite struct ReleaseCommandTests {
    @Test func createListExportAndDiff() throws {
        let dir = try TemporaryDirectory("release-cli")
        let db = dir.file("r.sqlite")
        #expect(try swath(["admin", "create-project", "--db", db, "--customer", "Acme", "--codename", "OWL", "--tile-size", "128"]).status == 0)
        #expect(try swath(["ingest", "--db", db, "--project", "1", Fixture.path("utm_multiband.tif"), "--no-overviews"]).status == 0)
        let made = try swath(["release", "create", "--db", db, "--project", "1", "--name", "v1", "--chip-size", "64"])
        #expect(made.status == 0, "\(made.stderr)")
        let release = try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: Any]
        #expect(release?["name"] as? String == "v1" && release?["labelCount"] as? Int == 0 && (release?["digest"] as? String)?.count == 64)
        #expect(try swath(["release", "create", "--db", db, "--project", "1", "--name", "v2", "--chip-size", "64"]).status == 0)

        let again = try swath(["release", "create", "--db", db, "--project", "1", "--name", "v1"])
        #expect(again.status == 1 && again.stderr.contains("already has a release named 'v1'"))
        let badName = try swath(["release", "create", "--db", db, "--project", "1", "--name", "../up"])
        #expect(badName.status == 1 && badName.stderr.contains("release name"))
        let badProject = try swath(["release", "create", "--db", db, "--project", "9", "--name", "x"])
        #expect(badProject.status == 1 && badProject.stderr.contains("project 9 not found"))

        let list = try swath(["release", "list", "--db", db, "--project", "1"])
        let names = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(names == ["v1", "v2"])
        let table = try swath(["release", "diff", "--db", db, "1", "2"])
        #expect(table.status == 0 && table.stdout.contains("release 1 'v1' → release 2 'v2'") && table.stdout.contains("labels"))
        let json = try swath(["release", "diff", "--db", db, "1", "2", "--json"])
        let diff = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((diff?["labels"] as? [String: Int])?["added"] == 0)
        let missing = try swath(["release", "diff", "--db", db, "1", "7"])
        #expect(missing.status == 1 && missing.stderr.contains("release 7 not found"))

        let exported = try swath(["release", "export", "--db", db, "--release", "1", "--out", dir.file("out")])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("out/card.md")) && FileManager.default.fileExists(atPath: dir.file("out/manifest.jsonl")))
    }
}
