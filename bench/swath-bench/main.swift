import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// swath-bench BASE_URL[,BASE_URL…] ADMIN_TOKEN SCENE [--clients 64] [--claims 3000] [--seconds 10]
//
// Against a running `swath serve` (release build), or several on one database
// (comma-separated base URLs: set-up goes to the first, and the requests of
// both phases take the servers in turn): creates a project with the
// scene in 64-pixel tasks, CLAIMS annotators, then
//   1. claims: 64 clients claim one task per annotator, all at once;
//      checks that no task went to two annotators;
//   2. saves: 64 of those annotators each save a 20-vertex polygon (WGS84)
//      to their own task again and again for SECONDS.
// Prints requests/s and p50/p99 for both.

// swath-bench tiles BASE_URL TOKEN PATHS_FILE [--clients 32]: see TileRun.swift.

let arguments = CommandLine.arguments
if arguments.count >= 5, arguments[1] == "tiles" {
    let clients = arguments.firstIndex(of: "--clients").flatMap { Int(arguments[$0 + 1]) } ?? 32
    exit(try await runTiles(arguments: arguments, clients: clients))
}
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: swath-bench BASE_URL[,BASE_URL…] ADMIN_TOKEN SCENE [--clients N] [--claims N] [--seconds S]\n".utf8))
    exit(2)
}
func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}
let bases = arguments[1].split(separator: ",").map(String.init), admin = arguments[2], scene = arguments[3]
let clients = option("--clients", 64), claimCount = option("--claims", 3000), seconds = Double(option("--seconds", 10))

var configuration = HTTPClient.Configuration()
configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = clients
let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
let apis = bases.map { API(http: http, base: $0) }
let api = apis[0]
/// Round robin: a client's consecutive requests go to consecutive servers, and
/// clients start one apart, so every server gets the same share at every moment.
@Sendable func server(_ client: Int, _ n: Int) -> API { apis[(client + n) % apis.count] }

func milliseconds(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }

do {
    let project = try await api.call(.POST, "/api/v1/projects", token: admin,
                                     json: ["customer": "Bench Customer", "codename": "BENCH-\(UUID().uuidString.prefix(8))",
                                            "tileSize": 64]) as! [String: Any]
    let projectId = project["id"] as! Int
    let registered = try await api.call(.POST, "/api/v1/projects/\(projectId)/scenes", token: admin, json: ["uri": scene]) as! [String: Any]
    let taskCount = registered["taskCount"] as! Int
    guard taskCount >= claimCount else { throw BenchError("the scene has \(taskCount) tasks, fewer than --claims \(claimCount)") }
    var tokens: [String] = []
    for index in 0..<claimCount {
        let user = try await api.call(.POST, "/api/v1/users", token: admin, json: ["name": "bench \(index)"]) as! [String: Any]
        try await api.call(.POST, "/api/v1/projects/\(projectId)/members", token: admin, json: ["userId": user["id"]!, "role": "annotator"])
        tokens.append(user["token"] as! String)
    }
    print("set up: project \(projectId), \(taskCount) tasks, \(claimCount) annotators, \(clients) clients")

    // 1. Claims: client c claims for annotators c, c + clients, c + 2·clients, …
    let claimed = ClaimLog()
    let claimTokens = tokens
    let claims = try await LoadGenerator(http: http, clients: clients).run(duration: 600, request: { client, n in
        let index = client + n * clients
        guard index < claimTokens.count else { return nil }
        return try? server(client, n).request(.POST, "/api/v1/projects/\(projectId)/tasks/claim", token: claimTokens[index])
    }, accept: { response, body in
        guard response.status == .ok, let task = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else { return false }
        claimed.add(taskId: task["id"] as! Int, footprint: task["footprintWGS84"] as! [String: Any], assignee: task["assigneeId"] as! Int)
        return true
    })
    let log = claimed.snapshot
    let doubles = log.count - Set(log.map(\.taskId)).count
    print(String(format: "claims: %d in %.2f s = %.0f claims/s, p50 %@, p99 %@, failures %d, tasks given twice: %d",
                 claims.latencies.count, claims.elapsed, claims.rate, milliseconds(claims.percentile(0.5)),
                 milliseconds(claims.percentile(0.99)), claims.failures, doubles))

    // 2. Saves: the first `clients` annotators each save a 20-vertex circle into their own task.
    let byAssignee = Dictionary(log.map { ($0.assignee, $0) }, uniquingKeysWith: { first, _ in first })
    var savers: [(token: String, taskId: Int, body: [String: Any])] = []
    for index in 0..<clients {
        let me = try await api.call(.GET, "/api/v1/me", token: tokens[index]) as! [String: Any]
        guard let entry = byAssignee[me["id"] as! Int] else { throw BenchError("annotator \(index) holds no task") }
        savers.append((tokens[index], entry.taskId, circleCollection(in: entry.footprint)))
    }
    let saverList = savers
    if let index = arguments.firstIndex(of: "--wrk-data"), index + 1 < arguments.count {
        // Hand the savers to wrk (a C load generator that leaves more CPU to the server).
        var lua = "entries = {\n"
        for saver in saverList {
            let body = String(decoding: try JSONSerialization.data(withJSONObject: saver.body), as: UTF8.self)
            lua += "  {path = \"/api/v1/tasks/\(saver.taskId)/labels\", token = \"\(saver.token)\", body = [==[\(body)]==]},\n"
        }
        try (lua + "}\n").write(toFile: arguments[index + 1], atomically: true, encoding: .utf8)
        print("wrote \(saverList.count) savers for wrk to \(arguments[index + 1])")
        try await http.shutdown()
        exit(doubles > 0 || claims.failures > 0 ? 1 : 0)
    }
    let saves = try await LoadGenerator(http: http, clients: clients).run(duration: seconds, request: { client, n in
        let saver = saverList[client]
        return try? server(client, n).request(.PUT, "/api/v1/tasks/\(saver.taskId)/labels", token: saver.token, json: saver.body)
    }, accept: { response, _ in response.status == .ok })
    print(String(format: "saves: %d in %.2f s = %.0f saves/s, p50 %@, p99 %@, failures %d",
                 saves.latencies.count, saves.elapsed, saves.rate, milliseconds(saves.percentile(0.5)),
                 milliseconds(saves.percentile(0.99)), saves.failures))
    try await http.shutdown()
    if doubles > 0 || claims.failures > 0 || saves.failures > 0 { exit(1) }
} catch {
    FileHandle.standardError.write(Data("swath-bench: \(error)\n".utf8))
    try? await http.shutdown()
    exit(1)
}
