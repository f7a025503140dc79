import Foundation
import Testing
import SwathTestSupport

/// The throw-away PostgreSQL cluster the PostgreSQL store's tests stand on:
/// it must really be PostgreSQL 15 with PostGIS, hand out separate
/// databases, and check passwords the way a deployed server does.
@Suite struct PostgresClusterTests {
    @Test func databasesAreSeparateAndRunPostgreSQL15() throws {
        let cluster = try PostgresCluster.shared()
        let first = try cluster.createDatabase("cluster_test")
        let second = try cluster.createDatabase("cluster_test")
        #expect(first != second)
        #expect(first.hasPrefix("postgres://swath:\(cluster.password)@127.0.0.1:\(cluster.port)/cluster_test_"))
        #expect(try cluster.psql(first, "SELECT version()").contains("PostgreSQL 15"))
        _ = try cluster.psql(first, "CREATE TABLE only_here (id int)")
        #expect(try cluster.psql(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'") == "0")
    }

    @Test func postGISCanBeCreated() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase("cluster_postgis")
        let version = try cluster.psql(database, "CREATE EXTENSION postgis; SELECT PostGIS_Version()")
        #expect(version.hasPrefix("3."))
    }

    @Test func wrongPasswordIsRefused() throws {
        let cluster = try PostgresCluster.shared()
        let database = try cluster.createDatabase("cluster_auth")
        #expect(throws: PostgresClusterError.self) {
            try cluster.psql(database, "SELECT 1", password: "not-\(cluster.password)")
        }
        #expect(try cluster.psql(database, "SELECT 1") == "1")
    }

    @Test func aRoleWithoutSuperuserCannotCreatePostGIS() throws {
        let cluster = try PostgresCluster.shared()
        let role = "cluster_plain_\(getpid())"
        try cluster.createRole(name: role, password: "plain'pw", superuser: false)
        let database = try cluster.createDatabase("cluster_owned", owner: role)
        let name = try #require(URLComponents(string: database)?.path.dropFirst())
        let asRole = cluster.url(for: String(name), user: role, password: "plain'pw")
        #expect(try cluster.psql(asRole, "CREATE TABLE mine (id int); SELECT current_user") == role)
        let refusal = #expect(throws: PostgresClusterError.self) {
            try cluster.psql(asRole, "CREATE EXTENSION postgis")
        }
        #expect(refusal?.description.contains("permission denied") == true)
    }

    /// Tests of a database going away and coming back restart their own cluster.
    @Test func aDedicatedClusterStopsAndComesBackWithItsData() throws {
        let cluster = try PostgresCluster.dedicated()
        defer { cluster.close() }
        #expect(try cluster.port != PostgresCluster.shared().port)
        let database = try cluster.createDatabase("cluster_restart")
        _ = try cluster.psql(database, "CREATE TABLE kept AS SELECT 42 AS answer")
        try cluster.stop()
        #expect(throws: PostgresClusterError.self) { try cluster.psql(database, "SELECT 1") }
        try cluster.start()
        #expect(try cluster.psql(database, "SELECT answer FROM kept") == "42")
        cluster.close()
        #expect(!FileManager.default.fileExists(atPath: cluster.folder.path))
    }
}
