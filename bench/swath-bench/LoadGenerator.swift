import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Fires requests from `clients` concurrent loops for `duration` seconds (or
/// until `count` requests) and records each latency.
struct LoadGenerator {
    let http: HTTPClient
    let clients: Int

    struct Result {
        var latencies: [Double]  // seconds, successful requests only (from the first send, retries included)
        var failures: Int
        var elapsed: Double
        var retries = 0

        var rate: Double { Double(latencies.count) / elapsed }
        func percentile(_ p: Double) -> Double {
            let sorted = latencies.sorted()
            guard !sorted.isEmpty else { return .nan }
            return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
        }
    }

    /// `request(client, n)` builds the n-th request of one client; nil ends that client. `retryAfter`, when
    /// given, says how long to wait before sending a refused request again (a busy server's 503 with
    /// Retry-After, as the workbench does), up to ten times, each wait stretched by up to as much again at
    /// random so refused clients do not all come back at once; nil: not to be retried.
    func run(duration: Double, request: @escaping @Sendable (Int, Int) -> HTTPClientRequest?,
             accept: @escaping @Sendable (HTTPClientResponse, ByteBuffer) -> Bool,
             retryAfter: (@Sendable (HTTPClientResponse) -> Double?)? = nil) async throws -> Result {
        let start = Date()
        let deadline = start.addingTimeInterval(duration)
        let perClient = try await withThrowingTaskGroup(of: ([Double], Int, Int).self) { group in
            for client in 0..<clients {
                group.addTask {
                    var latencies: [Double] = []
                    var failures = 0, retries = 0
                    var n = 0
                    while Date() < deadline, let next = request(client, n) {
                        n += 1
                        let sent = Date()
                        do {
                            var attempt = 0
                            while true {
                                let response = try await http.execute(next, timeout: .seconds(30))
                                let body = try await response.body.collect(upTo: 16 << 20)
                                if attempt < 10, let wait = retryAfter?(response) {
                                    attempt += 1
                                    retries += 1
                                    try await Task.sleep(nanoseconds: UInt64(wait * Double.random(in: 1...2) * 1e9))
                                    continue
                                }
                                if accept(response, body) { latencies.append(Date().timeIntervalSince(sent)) } else { failures += 1 }
                                break
                            }
                        } catch {
                            failures += 1
                        }
                    }
                    return (latencies, failures, retries)
                }
            }
            var all: [([Double], Int, Int)] = []
            for try await part in group { all.append(part) }
            return all
        }
        return Result(latencies: perClient.flatMap(\.0), failures: perClient.map(\.1).reduce(0, +),
                      elapsed: Date().timeIntervalSince(start), retries: perClient.map(\.2).reduce(0, +))
    }
}
