import Foundation
import Testing
import SwathLabels
import SwathTestSupport

/// `--db`: a path or a postgres:// URL, and every way opening one can fail,
/// each in one line naming the host and database and never the password.
@Suite struct DatabaseLocationTests {
    @Test func aURLIsParsedWithItsPasswordDecodedAndHidden() throws {
        guard case .postgres(let location) = try DatabaseLocation("postgres://ann:p%40ss%3Aword@db.example:6543/labels?sslmode=require") else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.host == "db.example" && location.port == 6543 && location.user == "ann" && location.database == "labels")
        #expect(location.password == "p@ss:word" && location.sslMode == .require)
        #expect(location.description == "database 'labels' on db.example:6543")
        #expect(try DatabaseLocation("postgresql://ann@localhost/x") == .postgres(try PostgresLocation(url: "postgres://ann@localhost:5432/x")))
        #expect(try DatabaseLocation("swath.sqlite") == .sqlite(path: "swath.sqlite"))
    }

    @Test(arguments: [
        ("postgres://ann:secret@host:5432/", "names no database"),
        ("postgres://host:5432/db", "names no user"),
        ("postgres://ann:secret@host:5432/db?sslmode=sometimes", "sslmode 'sometimes'"),
        ("postgres://ann:secret@host:5432/db?application_name=x", "'application_name' is not supported"),
        ("mysql://ann:secret@host/db", "'mysql://' is not a database"),
        ("postgres://ann:secret@host:99999/db", "port 99999 is out of range"),
        ("postgres://", "not a postgres URL"),
        ("", "empty"),
    ])
    func badURLsAreRefusedWithTheReason(url: String, reason: String) {
        do {
            _ = try DatabaseLocation(url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect("\(error)".contains(reason), "\(error)")
            #expect(!"\(error)".contains("secret"))
        }
    }

    @Test func aWrongPasswordOrDatabaseIsOneLineWithoutThePassword() async throws {
        let cluster = try PostgresCluster.shared()
        for (url, reason) in [
            ("postgres://swath:not-the-password@127.0.0.1:\(cluster.port)/postgres", "password authentication failed"),
            ("postgres://swath:\(cluster.password)@127.0.0.1:\(cluster.port)/no_such_database", "does not exist"),
            ("postgres://swath:\(cluster.password)@127.0.0.1:1/postgres", "cannot connect"),
        ] {
            do {
                _ = try await DatabaseLocation(url).open()
                Issue.record("\(url) opened")
            } catch {
                let message = "\(error)"
                #expect(message.contains(reason) && message.contains("on 127.0.0.1:") && !message.contains("\n"), "\(message)")
                #expect(!message.contains("not-the-password") && !message.contains(cluster.password))
            }
        }
    }

    /// A role that may not create extensions, on a database without PostGIS: the error names the extension and the way out.
    @Test func missingPostGISIsNamed() async throws {
        let cluster = try PostgresCluster.shared()
        try cluster.createRole(name: "plain_owner", password: "plain-password")
        let url = try cluster.createDatabase("nopostgis", owner: "plain_owner")
        let name = try #require(url.split(separator: "/").last?.split(separator: "?").first)
        do {
            _ = try await DatabaseLocation("postgres://plain_owner:plain-password@127.0.0.1:\(cluster.port)/\(name)").open()
            Issue.record("opened without PostGIS")
        } catch {
            #expect("\(error)".contains("PostGIS extension is missing") && "\(error)".contains("CREATE EXTENSION postgis"), "\(error)")
            #expect(!"\(error)".contains("plain-password"))
        }
    }

    @Test func groupCommitLanesComeFromTheEnvironmentOrAreRefused() throws {
        #expect(try DatabaseLocation.groupCommitLanes([:]) == nil)
        #expect(try DatabaseLocation.groupCommitLanes(["SWATH_PG_GROUP_COMMIT": ""]) == nil)
        #expect(try DatabaseLocation.groupCommitLanes(["SWATH_PG_GROUP_COMMIT": "2"]) == 2)
        #expect(try DatabaseLocation.groupCommitLanes(["SWATH_PG_GROUP_COMMIT": "64"]) == 64)
        for bad in ["0", "65", "-1", "2.5", "two", "9999999999999999999999"] {
            #expect {
                try DatabaseLocation.groupCommitLanes(["SWATH_PG_GROUP_COMMIT": bad])
            } throws: { error in
                "\(error)".contains("SWATH_PG_GROUP_COMMIT") && "\(error)".contains("'\(bad)'")
            }
        }
    }
}
