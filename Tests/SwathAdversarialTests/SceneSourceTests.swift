import Foundation
import Testing
import SwathLabels
import SwathServerTestSupport
import SwathTestSupport

/// A manager names a scene URI for the server to open with GDAL. The rule
/// must hold against chains of GDAL handlers, `..`, symlinks, look-alike
/// prefixes and the server's own files.
@Suite struct SceneSourceTests {
    let manager = User(id: 42, name: "mallory manager", isAdmin: false, createdAt: Date())

    /// Folders: allowed/ (with a.tif and a link to outside), allowed2/ (a look-alike), outside/, and the database.
    struct Layout {
        let directory: TemporaryDirectory
        var allowed: String { directory.file("allowed") }
        var database: String { directory.file("swath.sqlite") }
        var policy: SceneSourcePolicy {
            SceneSourcePolicy(allowedPrefixes: [allowed, "/vsis3/imagery/"], protectedPaths: [database, directory.file("allowed/.overviews")])
        }

        init() throws {
            directory = try TemporaryDirectory("scene-sources")
            for folder in ["allowed", "allowed2", "outside", "allowed/.overviews"] {
                try FileManager.default.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
            }
            for file in ["allowed/a.tif", "allowed2/a.tif", "outside/secret.tif", "swath.sqlite", "allowed/.overviews/x.vrt"] {
                FileManager.default.createFile(atPath: directory.file(file), contents: Data("x".utf8))
            }
            try FileManager.default.createSymbolicLink(atPath: directory.file("allowed/link.tif"),
                                                       withDestinationPath: directory.file("outside/secret.tif"))
            try FileManager.default.createSymbolicLink(atPath: directory.file("allowed/db.tif"), withDestinationPath: database)
        }
    }

    @Test func allowedSourcesPass() throws {
        let layout = try Layout()
        for uri in [layout.allowed + "/a.tif", layout.allowed + "/./a.tif", "/vsis3/imagery/scenes/a.tif",
                    "/vsizip//vsis3/imagery/a.zip/b.tif", "/vsizip/{/vsis3/imagery/a.zip}/b.tif", "/vsigzip/" + layout.allowed + "/a.tif"] {
            #expect(throws: Never.self, "\(uri)") { try layout.policy.check(uri, by: manager) }
        }
    }

    @Test(arguments: [
        ("allowed/../outside/secret.tif", "outside the folders"),
        ("allowed2/a.tif", "outside the folders"),
        ("allowed/link.tif", "through a link"),
        ("allowed/db.tif", "through a link"),
        ("allowed/.overviews/x.vrt", "server's own files"),
    ])
    func localWalksAreForbidden(relative: String, reason: String) throws {
        let layout = try Layout()
        let uri = layout.directory.path + "/" + relative
        #expect { try layout.policy.check(uri, by: manager) } throws: { error in
            guard case LabelingError.forbidden(let text) = error else { return false }
            return text.contains(reason)
        }
    }

    @Test(arguments: [
        "/vsis3/imagery-other/a.tif",                          // a look-alike bucket
        "/vsis3/other/a.tif",
        "/vsicurl/http://169.254.169.254/latest/meta-data/",   // not allowed at all
        "/vsizip//vsicurl/http://127.0.0.1:9/x.zip/a.tif",     // a network handler inside an archive
        "/vsitar/{/vsigs/bucket/a.tar}/a.tif",
        "/vsiaz/container/a.tif",
    ])
    func networkOutsideThePrefixesIsForbidden(uri: String) throws {
        let layout = try Layout()
        #expect { try layout.policy.check(uri, by: manager) } throws: { error in
            if case LabelingError.forbidden = error { return true }
            return false
        }
    }

    @Test(arguments: [
        "/vsis3/imagery/../other/a.tif",
        "/vsis3/imagery/%2e%2e/other/a.tif",
        "/vsicurl?url=http://127.0.0.1:9/a.tif",
        "/vsisubfile/0_100,/etc/passwd",
        "/vsimem/a.tif",
        "/vsistdin/",
        "/vsicrypt/key=x,file=/etc/passwd",
        "/vsisparse//etc/passwd",
        "/vsicached?file=/etc/passwd",
        "/vsis3/imagery/a.tif/vsicurl/http://x",
        "HDF5:\"/data/a.h5\"://band",
        "https://example.com/a.tif",
        "relative/a.tif",
        "/../../etc/passwd",
        "/vsizip/{/vsis3/imagery/a.zip",
        "",
    ])
    func malformedOrUnsupportedURIsAreRefused(uri: String) throws {
        let layout = try Layout()
        #expect { try layout.policy.check(uri, by: manager) } throws: { error in
            switch error as? LabelingError {
            case .invalid?, .forbidden?: return true
            default: return false
            }
        }
    }

    /// With no list any local file may be a scene, but only a regular file: a device or a FIFO
    /// would stall the reader or feed it without end.
    @Test(arguments: ["/dev/zero", "/dev/null", "fifo", "allowed"])
    func devicesFifosAndFoldersAreRefused(name: String) throws {
        let layout = try Layout()
        let path = name.hasPrefix("/") ? name : layout.directory.file(name)
        if name == "fifo" { try #require(mkfifo(path, 0o600) == 0) }
        #expect { try SceneSourcePolicy().check(path, by: manager) } throws: { error in
            guard case LabelingError.invalid(let text) = error else { return false }
            return text.contains("not a regular file") && text.contains(path)
        }
    }

    @Test func theCommandLineKeepsItsFreedom() throws {
        let layout = try Layout()
        #expect(throws: Never.self) { try layout.policy.check("/vsicurl/http://127.0.0.1/a.tif", by: User.commandLine) }
    }

    /// Over HTTP, a VRT (which names other files) is not opened even where local files are allowed.
    @Test func requestsOpenGeoTIFFsOnly() async throws {
        let world = try await TestWorld.make()
        let dir = try TemporaryDirectory()
        let vrt = dir.file("scene.vrt")
        #expect(try Shell.run("gdal_translate", ["-q", "-of", "VRT", Fixture.path("utm_multiband.tif"), vrt]).status == 0)
        try await world.test { client in
            let path = "/api/v1/projects/\(world.projectA)/scenes"
            let refused = try await client.call(.post, path, token: world.manager, json: ["uri": vrt])
            #expect(refused.status == .badRequest, "\(refused.text)")
            let network = try await client.call(.post, path, token: world.manager, json: ["uri": "/vsizip//vsicurl/http://127.0.0.1:9/a.zip/a.tif"])
            #expect(network.status == .forbidden, "\(network.text)")
            let copy = dir.file("copy.tif")
            try FileManager.default.copyItem(atPath: Fixture.path("utm_multiband.tif"), toPath: copy)
            #expect(try await client.call(.post, path, token: world.manager, json: ["uri": copy]).status == .created)
        }
    }
}
