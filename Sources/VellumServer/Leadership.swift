import Foundation
import Logging
import ServiceLifecycle
import VellumSequencer
import VellumStorage
import VellumSync

/// Which node sequences a log whose store several nodes share (PostgreSQL): the one holding
/// the store's writer lease. Every `tick` each node either renews (holder) or tries to take the
/// lease (the others, which also pick up the latest checkpoint the holder stored, so that
/// their reads keep up). Winning starts a sequencer on the stored tree; losing — a failed
/// renewal, or a batch the store fenced off — stops it, and uploads go to the new holder.
///
/// Takeover time: the holder renews every `duration / 3`, so after it dies or pauses the lease
/// runs out within `duration` and another node takes it at its next tick. The renewals run on a
/// thread of their own: on the cooperative pool they waited behind request handlers (which
/// block on PostgreSQL reads), and a node slowed down enough (a loaded ThreadSanitizer run)
/// lost its lease while alive and well.
final class Leadership: Service, Sendable {
    let log: RekorLog
    let lease: any WriterLease
    /// Where this node takes uploads, recorded in the lease for the others to forward to: the
    /// configured address, else known once the listener is bound (port 0 picks one).
    private let advertised: Locked<String?>
    var address: String? { advertised.withLock { $0 } }
    let metrics: ServerMetrics
    let tick: Duration
    /// Told of each newer checkpoint this node learns from the store while it does not
    /// sequence (the metrics' tree size, the tiles directory).
    let followed: @Sendable (SignedCheckpoint) -> Void
    /// The holder's address as last read (the others forward uploads there).
    private let known = Locked<WriterLeaseHolder?>(nil)
    private let lastRenewal = Locked<ContinuousClock.Instant?>(nil)
    /// The size of the last checkpoint passed to `followed`.
    private let lastFollowed = Locked<UInt64>(0)

    init(log: RekorLog, lease: any WriterLease, address: String?, metrics: ServerMetrics, tick: Duration = .milliseconds(250),
         followed: @escaping @Sendable (SignedCheckpoint) -> Void = { _ in }) {
        self.followed = followed
        self.log = log
        self.lease = lease
        self.advertised = Locked(address)
        self.metrics = metrics
        self.tick = tick
    }

    /// The listener is bound: without a configured address, this node is reached at `host:port`.
    func listening(host: String, port: Int) {
        advertised.withLock { if $0 == nil { $0 = "http://\(host):\(port)" } }
    }

    /// The lease holder as last seen, when it is live and another node.
    var leader: WriterLeaseHolder? { known.withLock { $0 } }

    func run() async throws {
        let stopRenewing = StopFlag()
        let renewals = Thread { [self] in
            while !stopRenewing.isSet {
                renewIfDue()
                Thread.sleep(forTimeInterval: tick / .seconds(1))
            }
        }
        renewals.name = "vellum-lease-renewal"
        renewals.start()
        defer { stopRenewing.set() }
        // Graceful shutdown cancels the loop (its sleep throws): that is the normal way out.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.step()
                try await Task.sleep(for: self.tick)
            }
        }
        // Shutting down: commit or fail what is pending, then let another node take over now.
        await log.stopSequencing()
        lease.release()
    }

    func step() async {
        let logger = log.logger
        do {
            if log.sequencer != nil {
                // Renewed by `renewIfDue`, on its own thread; a failed renewal or a fenced batch clears `holds`.
                if !lease.holds {
                    logger.warning("lost the writer lease; no longer sequencing")
                    await stepDown()
                }
            } else if let address, try lease.acquire(address: address) {
                lastRenewal.withLock { $0 = .now }
                do {
                    let sequencer = try log.startSequencing()
                    metrics.leaseChanges.increment()
                    metrics.sequencing.set(Int64(1))
                    logger.notice("took the writer lease; sequencing", metadata: ["treeSize": "\(sequencer.initialCheckpoint.size)"])
                } catch {
                    logger.error("took the writer lease but cannot start sequencing; giving it up", metadata: ["error": "\(error)"])
                    lease.release()
                }
            }
            if log.sequencer == nil {
                // Reads may have refreshed the latest checkpoint already (a lookup beyond this
                // node's view does): compare with what was last passed on, not with the refresh.
                try log.refreshLatestCheckpoint()
                if let latest = log.lastCommitted, latest.size > lastFollowed.withLock({ $0 }) {
                    lastFollowed.withLock { $0 = latest.size }
                    followed(latest)
                }
                let holder = try lease.holder()
                known.withLock { $0 = holder.live && holder.node != "" ? holder : nil }
            } else {
                known.withLock { $0 = nil }
            }
        } catch {
            logger.warning("writer lease check failed", metadata: ["error": "\(error)"])
            if log.sequencer != nil && !lease.holds { await stepDown() }
        }
    }

    /// Renews the lease when this node sequences and a third of the lease has passed since the
    /// last renewal. Runs on the renewal thread; a failure leaves the decision to `step`.
    func renewIfDue() {
        guard log.sequencer != nil, lease.holds else { return }
        let due = lastRenewal.withLock { $0.map { ContinuousClock.now - $0 >= lease.duration / 3 } ?? true }
        guard due else { return }
        do {
            if try lease.renew() { lastRenewal.withLock { $0 = .now } }
        } catch {
            log.logger.warning("writer lease renewal failed", metadata: ["error": "\(error)"])
        }
    }

    private func stepDown() async {
        metrics.leaseChanges.increment()
        metrics.sequencing.set(Int64(0))
        await log.stopSequencing()
    }
}

/// Tells the renewal thread to end.
private final class StopFlag: Sendable {
    private let flag = Locked(false)
    var isSet: Bool { flag.withLock { $0 } }
    func set() { flag.withLock { $0 = true } }
}
