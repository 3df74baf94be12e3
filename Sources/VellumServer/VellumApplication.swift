import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import VellumSequencer

/// Builds the server around an opened log; used by `vellum serve` and by the tests alike.
public enum VellumApplication {
    /// One NIO event-loop thread: on two cores, a second one only adds context switches
    /// between it, Swift's two cooperative threads (the handlers) and the writer thread
    /// (measured: proof lookups 10.2 k/s with two event loops, 11.4 k/s with one).
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// The HTTP application: Rekor v1 API, tlog-tiles read API, operations endpoints. Its
    /// services include the sequencer, listed before the HTTP server so that on shutdown the
    /// server stops taking requests and finishes those in flight before the sequencer commits
    /// or fails what is still pending.
    ///
    /// - Parameter onListening: told the bound port (useful with port 0).
    public static func build(configuration: ServerConfiguration, log: RekorLog, logger: Logger,
                             onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let metrics = ServerMetrics()
        metrics.treeSize.set(Int64((try? log.latestSize()) ?? 0))
        // --tiles-dir: the read API as static files, written off the commit path after each batch.
        let staticTiles = configuration.tilesDirectory.map { StaticTilesPublisher(log: log, directory: $0, logger: logger) }
        log.onBatchCommitted { report in
            metrics.batchSize.record(Double(report.entries))
            metrics.batchDuration.record(report.duration)
            metrics.treeSize.set(Int64(report.treeSize))
            staticTiles?.publish(report.checkpoint)
        }
        // A shared store: this node sequences while it holds the writer lease. Otherwise the
        // sequencer RekorLog.open started runs for the server's lifetime.
        let leadership = log.storage.writerLease.map { lease in
            Leadership(log: log, lease: lease,
                       address: configuration.advertisedAddress
                           ?? (configuration.port == 0 ? nil : "http://\(configuration.host):\(configuration.port)"),
                       metrics: metrics) { checkpoint in
                // Not sequencing: keep the tree-size gauge and the tiles directory current too.
                metrics.treeSize.set(Int64(checkpoint.size))
                staticTiles?.publish(checkpoint)
            }
        }
        // The tiles publisher first, so that it stops last: after the sequencer's final batch.
        let services: [any Service] = (staticTiles.map { [$0] } ?? [])
            + (leadership.map { [$0] } ?? log.sequencer.map { [$0] } ?? [])
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        // One structured line per request (method, path, request ID) at debug level.
        router.add(middleware: LogRequestsMiddleware(.debug))
        EntriesController(log: log, maxRequestBytes: configuration.maxRequestBytes, metrics: metrics, leadership: leadership)
            .addRoutes(to: router)
        LogController(log: log).addRoutes(to: router)
        IndexController(log: log, maxRequestBytes: configuration.maxRequestBytes).addRoutes(to: router)
        TilesController(log: log).addRoutes(to: router)
        OperationsController(log: log, metrics: metrics).addRoutes(to: router)
        return Application(
            responder: TrailingSlashResponder(base: MethodCheckResponder(base: router.buildResponder())),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "vellum"),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                leadership?.listening(host: configuration.host, port: port)
                await onListening(port)
            },
            eventLoopGroupProvider: .shared(eventLoops),
            logger: logger)
    }
}
