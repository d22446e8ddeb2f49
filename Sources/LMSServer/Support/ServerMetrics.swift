import Foundation
import Metrics
import Prometheus
import Vapor

/// The server's metrics, recorded through swift-metrics into one Prometheus registry per
/// application (not the process-wide `MetricsSystem`, which can be bootstrapped only once and
/// would mix the figures of the many servers a test process runs). `GET /metrics` renders it.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let inFlight: Metrics.Meter
    private let loginFailures: Metrics.Counter
    private let pullPages: Metrics.Counter
    private let pulledChanges: Metrics.Counter

    init(poolSize: Int) {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["http_request_duration_seconds"] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
        ]
        self.factory = factory
        inFlight = Metrics.Meter(label: "http_requests_in_flight", factory: factory)
        loginFailures = Metrics.Counter(label: "lms_login_failures_total", factory: factory)
        pullPages = Metrics.Counter(label: "lms_sync_pull_pages_total", factory: factory)
        pulledChanges = Metrics.Counter(label: "lms_sync_pull_changes_total", factory: factory)
        Metrics.Meter(label: "lms_db_pool_connections_per_event_loop", factory: factory).set(poolSize)
    }

    func requestStarted() { inFlight.increment() }

    /// One finished request; `route` is the matched route's pattern (never the raw path, whose
    /// ids would make a series per course).
    func requestFinished(method: String, route: String, status: UInt, duration: Duration) {
        inFlight.decrement()
        let labels = [("method", method), ("route", route), ("status", String(status))]
        Metrics.Counter(label: "http_requests_total", dimensions: labels, factory: factory).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    func loginFailed() { loginFailures.increment() }

    func pushed(status: String, count: Int) {
        Metrics.Counter(label: "lms_sync_push_mutations_total", dimensions: [("status", status)], factory: factory).increment(by: count)
    }

    func pulled(changes: Int) {
        pullPages.increment()
        pulledChanges.increment(by: changes)
    }

    func outlineCache(hit: Bool) {
        Metrics.Counter(label: "lms_outline_cache_requests_total", dimensions: [("result", hit ? "hit" : "miss")], factory: factory).increment()
    }

    /// Connections the database pools hold and lend right now, sampled when metrics are read.
    func poolConnections(open: Int, inUse: Int) {
        Metrics.Meter(label: "lms_db_pool_connections", dimensions: [("state", "open")], factory: factory).set(open)
        Metrics.Meter(label: "lms_db_pool_connections", dimensions: [("state", "in_use")], factory: factory).set(inUse)
    }

    /// A scheduled backup's outcome, on the replica that made it: alert when the newest success
    /// (the maximum over replicas) is more than a day old.
    func backupFinished(stored: StoredBackup?, at date: Date) {
        Metrics.Counter(label: "lms_backups_total", dimensions: [("result", stored == nil ? "failed" : "stored")], factory: factory).increment()
        guard let stored else { return }
        Metrics.Gauge(label: "lms_backup_last_success_timestamp_seconds", factory: factory).record(date.timeIntervalSince1970.rounded(.down))
        Metrics.Gauge(label: "lms_backup_last_size_bytes", factory: factory).record(Double(stored.bytes))
    }

    func render() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = ServerMetrics }

    /// Set once by `configure`, before the server accepts requests.
    var serverMetrics: ServerMetrics {
        get { storage[MetricsKey.self]! }
        set { storage[MetricsKey.self] = newValue }
    }
}
