import Prometheus

/// What `GET /metrics` reports, in Prometheus's text format: requests by
/// route template and status, latency per route, claims and saves, and the
/// tasks waiting in the queues. Route templates (`/api/v1/tasks/{id}`), never
/// request paths, so ids do not multiply the series.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let claims: Counter
    let saves: Counter
    let openTasks: Gauge
    let connectionWaits: Gauge
    let connectionWaitSeconds: Gauge
    /// Latency buckets from 1 ms to 10 s.
    static let buckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000].map { .microseconds(Int64($0 * 1000)) }

    public init() {
        claims = registry.makeCounter(name: "swath_task_claims_total", help: "Tasks handed to annotators")
        saves = registry.makeCounter(name: "swath_label_saves_total", help: "Label sets saved")
        openTasks = registry.makeGauge(name: "swath_open_tasks", help: "Tasks waiting in every project's queue")
        connectionWaits = registry.makeGauge(name: "swath_db_pool_waits", help: "Requests that asked the database pool for a connection, since start")
        connectionWaitSeconds = registry.makeGauge(name: "swath_db_pool_wait_seconds",
                                                   help: "Seconds requests spent waiting for a pooled database connection, since start")
    }

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(name: "swath_http_requests_total", labels: [("route", route), ("method", method), ("status", String(status))],
                             help: "HTTP requests answered").increment()
        registry.makeDurationHistogram(name: "swath_http_request_duration_seconds", labels: [("route", route), ("method", method)],
                                       buckets: Self.buckets, help: "Time to answer, by route").recordNanoseconds(duration.nanoseconds)
    }

    /// The registry in Prometheus's text exposition format.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
