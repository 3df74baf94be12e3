import Hummingbird
import Prometheus
import VellumClient

/// `vellum monitor --metrics-listen HOST:PORT`: a daemon's counters for Prometheus (polls, failed
/// polls, entries audited, findings by kind, the verified tree size), in a registry of its own.
final class MonitorMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let polls: Counter
    let failedPolls: Counter
    let audited: Counter
    let verifiedSize: Gauge

    static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "vellum_monitor", metricName: metric, unitName: unit, helpText: help)
    }

    init() {
        polls = registry.makeCounter(descriptor: Self.name("polls", "total", "Polls finished"))
        failedPolls = registry.makeCounter(descriptor: Self.name("failed_polls", "total", "Polls that failed for an operational reason (log unreachable, state unusable, finding undelivered)"))
        audited = registry.makeCounter(descriptor: Self.name("audited_entries", "total", "Entries downloaded, hashed into the rebuilt tree and read for the watch list"))
        verifiedSize = registry.makeGauge(descriptor: Self.name("verified_tree", "size", "Size of the last checkpoint whose whole tree was verified"))
        for kind in ["match", "inconsistent", "rollback", "bad-signature", "root-mismatch", "unparsable-entry"] {
            _ = finding(kind)
        }
    }

    func finding(_ kind: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("findings", "total", "Findings delivered, by kind"), labels: [("kind", kind)])
    }

    func record(_ summary: Monitor.Summary) {
        polls.increment()
        audited.increment(by: Int64(summary.scanned))
        if let size = summary.verifiedSize { verifiedSize.set(Int64(size)) }
        for (kind, count) in summary.kinds { finding(kind).increment(by: Int64(count)) }
    }

    /// Serves `/metrics` on `address` until the process ends.
    func serve(address: String) throws -> Task<Void, any Error> {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
            throw ClientError.configuration("--metrics-listen must be host:port, got \(address)")
        }
        let router = Router()
        let registry = self.registry
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname(String(address[..<colon]), port: port),
                                                                   serverName: "vellum-monitor"))
        return Task { try await app.runService() }
    }
}
