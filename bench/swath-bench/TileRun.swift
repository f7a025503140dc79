import AsyncHTTPClient
import Foundation
import NIOCore

/// `swath-bench tiles BASE_URL TOKEN PATHS_FILE [--clients 32]`: GETs every
/// path in the file exactly once from CLIENTS concurrent loops (the cold pass
/// of make bench-tiles; wrk cannot stop after one pass without waiting out
/// its duration) and prints tiles/s and latency percentiles per status.
func runTiles(arguments: [String], clients: Int) async throws -> Int32 {
    let base = arguments[2], token = arguments[3]
    let paths = try String(contentsOfFile: arguments[4], encoding: .utf8).split(separator: "\n").map(String.init)
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = clients
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    let statuses = StatusLog()
    let result = try await LoadGenerator(http: http, clients: clients).run(duration: 3600, request: { client, n in
        let index = client + n * clients
        guard index < paths.count else { return nil }
        var request = HTTPClientRequest(url: base + paths[index])
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return request
    }, accept: { response, _ in
        statuses.add(Int(response.status.code))
        return response.status == .ok || response.status == .noContent
    }, retryAfter: { response in
        // A full render queue answers 503 with Retry-After: wait and ask again, as the workbench does.
        guard response.status == .serviceUnavailable else { return nil }
        return response.headers.first(name: "Retry-After").flatMap(Double.init) ?? 1
    })
    try await http.shutdown()
    print(String(format: "%d tiles in %.2f s = %.0f tiles/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (retries after 503 included); statuses %@; %d retries; failures %d",
                 result.latencies.count, result.elapsed, result.rate, result.percentile(0.5) * 1000, result.percentile(0.9) * 1000,
                 result.percentile(0.99) * 1000, (result.latencies.max() ?? 0) * 1000, statuses.summary, result.retries, result.failures))
    // Still refused after ten waits is the server protecting itself at 32 clients (reported above with its count),
    // not an error; anything else failing is.
    return result.failures == statuses.count(503) ? 0 : 1
}

final class StatusLog: @unchecked Sendable {
    private var counts: [Int: Int] = [:]
    private let lock = NSLock()

    func add(_ status: Int) {
        lock.lock()
        counts[status, default: 0] += 1
        lock.unlock()
    }

    func count(_ status: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[status] ?? 0
    }

    var summary: String {
        lock.lock()
        defer { lock.unlock() }
        return counts.keys.sorted().map { "\($0): \(counts[$0]!)" }.joined(separator: ", ")
    }
}
