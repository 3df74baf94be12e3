import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import VellumSequencer
import VellumStorage
import VellumSync

/// Keeps `--tiles-dir` current: after each durable batch, writes the files of its checkpoint
/// (`StaticTilesWriter`) on a thread of its own, off the sequencer's commit path.
///
/// Why a thread and why coalescing: `publish` runs inside the sequencer's commit path (the
/// batch observer), so it only records the checkpoint and wakes the thread. Writing means
/// fsyncs, which would block one of Swift's cooperative threads (two on two cores, which the
/// HTTP handlers need); on a thread of its own they block nothing else. While one write runs,
/// later batches only replace the pending checkpoint, so the next write covers the newest
/// one alone, and a burst of batches costs one write of its right edge, not one per batch.
///
/// As a service: it starts by catching up (every file the log's current checkpoint implies
/// that is missing — after a crash, a restart, or a first start on an existing log), and on
/// shutdown, which it reaches after the sequencer's (it is listed before it), it writes the
/// last batch's files before it returns. A write that fails (a full disk, say) is logged and
/// tried again every `retryDelay` until it succeeds or a newer checkpoint replaces it; the
/// directory keeps serving the last checkpoint written, whole, meanwhile.
///
/// The thread runs at nice +10 (on Linux, where a nice value is per thread), as the SQLite
/// store's checkpointer does: on two cores the writer and the HTTP handlers take the CPU first,
/// and under a peak load the directory lags a little (each write covers more batches) rather
/// than the uploads slowing down.
///
/// With a shared store (PostgreSQL) the node that sequences publishes after each batch and the
/// others each time they learn of a newer checkpoint (`Leadership`, every 250 ms), so every
/// node keeps a directory of its own current. See README "Serving tiles from nginx".
final class StaticTilesPublisher: Service, Sendable {
    let log: RekorLog
    let directory: String
    let logger: Logger
    let retryDelay: Duration
    private let shared = Shared()

    /// What `publish` and the thread share.
    private final class Shared: Sendable {
        /// The newest checkpoint not yet written (only the newest: writes coalesce), and
        /// whether the service is stopping. Every change is followed by a `wakeup` signal.
        let state = Locked<(pending: SignedCheckpoint?, stopping: Bool)>((nil, false))
        let wakeup = DispatchSemaphore(value: 0)
    }

    init(log: RekorLog, directory: String, logger: Logger, retryDelay: Duration = .seconds(5)) {
        self.log = log
        self.directory = directory
        self.logger = logger
        self.retryDelay = retryDelay
    }

    /// Asks for `checkpoint`'s files to be written. Cheap (a lock and a semaphore signal):
    /// called on the sequencer's commit path. Older checkpoints than the pending one are dropped.
    func publish(_ checkpoint: SignedCheckpoint) {
        shared.state.withLock { state in
            if state.pending.map({ $0.size <= checkpoint.size }) ?? true { state.pending = checkpoint }
        }
        shared.wakeup.signal()
    }

    func run() async throws {
        // A directory that cannot be written, or holds another log's checkpoint, stops the
        // server at its start rather than leaving the files silently stale.
        let writer = try StaticTilesWriter(storage: log.storage, origin: log.origin, directory: directory)
        if let latest = try log.lastCommitted ?? log.storage.latestCheckpoint().map({
            SignedCheckpoint(size: $0.size, root: $0.root, note: String(decoding: $0.note, as: UTF8.self), signedAt: $0.signedAt)
        }) {
            publish(latest)
        }
        let (shared, logger, retryDelay) = (self.shared, self.logger, self.retryDelay)
        async let finished: Void = awaitHandOff { done in
            let thread = Thread {
                #if os(Linux)
                setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
                #endif
                var writer = writer
                Self.loop(writer: &writer, shared: shared, logger: logger, retryDelay: retryDelay)
                done(())
            }
            thread.name = "vellum-static-tiles"
            thread.start()
        }
        try? await gracefulShutdown()
        shared.state.withLock { $0.stopping = true }
        shared.wakeup.signal()
        await finished
    }

    /// The thread: write the pending checkpoint whenever there is one, until stopping with
    /// nothing pending.
    private static func loop(writer: inout StaticTilesWriter, shared: Shared, logger: Logger, retryDelay: Duration) {
        var retrying = false
        var caughtUp = false
        while true {
            if retrying {
                let (seconds, attoseconds) = retryDelay.components
                _ = shared.wakeup.wait(timeout: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
            } else {
                shared.wakeup.wait()
            }
            retrying = false
            let (pending, stopping) = shared.state.withLock { state in
                defer { state.pending = nil }
                return (state.pending, state.stopping)
            }
            if let checkpoint = pending {
                let started = ContinuousClock.now
                do {
                    let outcome = try writer.publish(StoredCheckpoint(size: checkpoint.size, root: checkpoint.root,
                                                                      note: Array(checkpoint.note.utf8),
                                                                      signedAt: checkpoint.signedAt))
                    let metadata: Logger.Metadata = ["outcome": "\(outcome)", "duration": "\(ContinuousClock.now - started)"]
                    if caughtUp {
                        logger.debug("tiles directory updated", metadata: metadata)
                    } else {
                        logger.info("tiles directory caught up", metadata: metadata.merging(["directory": "\(writer.directory.root)"]) { $1 })
                        caughtUp = true
                    }
                } catch {
                    logger.error("cannot write the tiles directory; it keeps its last checkpoint",
                                 metadata: ["size": "\(checkpoint.size)", "error": "\(error)",
                                            "retry": stopping ? "at the next start" : "in \(retryDelay)"])
                    if !stopping {
                        // Again later, unless a newer checkpoint arrives first (it covers this one).
                        shared.state.withLock { state in if state.pending == nil { state.pending = checkpoint } }
                        retrying = true
                    }
                }
            }
            if stopping && shared.state.withLock({ $0.pending == nil }) { return }
        }
    }
}
