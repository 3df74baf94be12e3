import Hummingbird
import Prometheus
import VellumSync

/// The server's Prometheus metrics, kept in its own registry (no global bootstrap, so tests can
/// run several servers in one process) and served at `/metrics`.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let treeSize: Gauge
    let sequencerWait: DurationHistogram
    let batchSize: ValueHistogram
    let batchDuration: DurationHistogram
    /// Shared stores: times this node took or lost the writer lease, and whether it holds it.
    let leaseChanges: Counter
    let sequencing: Gauge

    static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(5),
    ]

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "vellum", metricName: metric, unitName: unit, helpText: help)
    }
    var requestsName: MetricNameDescriptor { Self.name("http_requests", "total", "HTTP requests answered") }
    var requestSecondsName: MetricNameDescriptor { Self.name("http_request", "seconds", "HTTP request latency") }

    init() {
        treeSize = registry.makeGauge(descriptor: Self.name("tree", "size", "Entries in the log at the latest checkpoint"))
        sequencerWait = registry.makeDurationHistogram(
            descriptor: Self.name("upload_commit", "seconds", "Time an upload waits for its batch to be committed"),
            buckets: Self.latencyBuckets)
        batchSize = registry.makeValueHistogram(
            descriptor: Self.name("batch", "entries", "Entries per committed batch"),
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096])
        batchDuration = registry.makeDurationHistogram(
            descriptor: Self.name("batch_commit", "seconds", "Time to integrate, sign and durably commit one batch"),
            buckets: Self.latencyBuckets)
        leaseChanges = registry.makeCounter(
            descriptor: Self.name("sequencer_lease_changes", "total", "Times this node took or lost the writer lease"))
        sequencing = registry.makeGauge(
            descriptor: Self.name("sequencer", "", "1 while this node sequences the log (holds the writer lease), else 0"))
    }

    struct RequestKey: Hashable {
        var method: String
        var route: String
        var status: Int
    }
    /// The metric objects per label set, so a request costs a dictionary lookup, not a
    /// registry lookup that rebuilds names and label lists.
    private let requestMetrics = Locked<[RequestKey: (Counter, DurationHistogram)]>([:])

    /// Counts and times one answered request.
    func request(method: String, route: String, status: Int, duration: Duration) {
        let key = RequestKey(method: method, route: route, status: status)
        let metrics = requestMetrics.withLock { cache in
            if let known = cache[key] { return known }
            let made = (registry.makeCounter(descriptor: requestsName,
                                             labels: [("method", method), ("route", route), ("status", String(status))]),
                        registry.makeDurationHistogram(descriptor: requestSecondsName,
                                                       labels: [("method", method), ("route", route)],
                                                       buckets: Self.latencyBuckets))
            cache[key] = made
            return made
        }
        metrics.0.increment()
        metrics.1.record(duration)
    }
}

/// Records every routed request in `ServerMetrics`, labelled by route pattern (not raw path,
/// so the label set stays small).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        metrics.request(method: request.method.rawValue, route: context.endpointPath ?? "unmatched",
                        status: response.status.code, duration: ContinuousClock.now - started)
        return response
    }
}
