import Foundation
import PostgresNIO
import VellumStorage
import VellumSync

/// The right to sequence: one row in `sequencer_lease` naming the node that holds it, until
/// when (in the database's clock, so the nodes' clocks do not matter), and a fencing token that
/// grows by one whenever the holder changes.
///
/// A row with an expiry rather than an advisory lock: anyone can read who leads
/// (`SELECT * FROM sequencer_lease`), tests can expire it, and engines that speak PostgreSQL's
/// protocol without advisory locks (CockroachDB, YugabyteDB) run the same statements.
///
/// The holder renews it every third of its duration and with every batch it commits; the batch
/// renewal is the fence (`PostgresLogStorage.write`). A node that cannot renew in time stops
/// calling itself the sequencer at once (`holds` turns false), even before anyone takes over.
public final class SequencerLease: WriterLease {
    /// This node's claim: the token it got when it took the lease.
    public struct Claim: Sendable, Equatable {
        public let token: Int64
        /// When a renewal last succeeded (this process's monotonic clock): the lease holds until
        /// `duration` after the moment that renewal was sent.
        let renewedAt: ContinuousClock.Instant
    }

    /// This node's name in the lease row: host name, process ID and a random suffix, so a
    /// restarted process is a new holder.
    public let node: String
    public let duration: Duration
    private let session: LendingPool<PostgresSession>
    private let state = Locked<Claim?>(nil)

    init(session: PostgresSession, node: String, duration: Duration) {
        // A takeover waits on the row lock of a batch in flight; never longer than this.
        session.onReconnect = "SET lock_timeout = 1000"
        self.session = LendingPool([session])
        self.node = node
        self.duration = duration
    }

    public static func newNodeName() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UInt32.random(in: 0...UInt32.max))"
    }

    var seconds: Double { duration / .seconds(1) }

    /// The current claim while it is live by this process's clock.
    public var claim: Claim? {
        state.withLock { claim in
            guard let current = claim else { return nil }
            if ContinuousClock.now - current.renewedAt >= duration { claim = nil }
            return claim
        }
    }

    /// Whether this node holds the lease now.
    public var holds: Bool { claim != nil }

    /// The statement that renews the lease under `token` (one row back when it is still ours).
    static func renewal(token: Int64, holder: String, duration: Duration) throws -> PostgresQuery {
        try sql("""
            UPDATE sequencer_lease SET expires_at = now() + make_interval(secs => $1)
            WHERE id = 1 AND token = $2 AND holder = $3 RETURNING token
            """, duration / .seconds(1), token, holder)
    }

    private func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try storageErrors { try session.withResource { try $0.run(query) } }
    }

    /// Takes the lease if it is free or expired (or already this node's), with a new token, and
    /// records `address` for forwarded uploads. Returns whether this node holds it now.
    public func acquire(address: String) throws -> Bool {
        if let current = claim, try renew(current) { return true }
        let sent = ContinuousClock.now
        let result: PostgresQueryResult
        do {
            result = try run(sql("""
                UPDATE sequencer_lease SET holder = $1, address = $2, token = token + 1,
                    expires_at = now() + make_interval(secs => $3), changed_at = now()
                WHERE id = 1 AND (expires_at < now() OR holder = $1) RETURNING token
                """, node, address, seconds))
        } catch StorageError.backend(let message) where message.contains("55P03") {
            return false  // a batch of the holder is in flight: it is alive
        }
        guard let row = result.first else { return false }
        let token = try row.decode(Int64.self)
        state.withLock { $0 = Claim(token: token, renewedAt: sent) }
        return true
    }

    /// Extends the current claim; false (and the claim dropped) when it is gone.
    @discardableResult
    public func renew() throws -> Bool {
        guard let current = claim else { return false }
        return try renew(current)
    }

    private func renew(_ current: Claim) throws -> Bool {
        let sent = ContinuousClock.now
        let result = try run(Self.renewal(token: current.token, holder: node, duration: duration))
        guard result.count == 1 else {
            lost(current)
            return false
        }
        state.withLock { claim in
            if claim?.token == current.token { claim = Claim(token: current.token, renewedAt: sent) }
        }
        return true
    }

    /// A batch found the lease renewed by `claim` gone: forget it.
    func lost(_ claim: Claim) {
        state.withLock { if $0?.token == claim.token { $0 = nil } }
    }

    /// A batch renewed the lease under `claim` in a transaction that committed at about `sent`.
    func renewed(_ claim: Claim, sent: ContinuousClock.Instant) {
        state.withLock { if $0?.token == claim.token { $0 = Claim(token: claim.token, renewedAt: sent) } }
    }

    /// Gives the lease up (graceful shutdown), so that another node takes over without waiting
    /// for it to expire. Best effort: if the database is unreachable the lease simply expires.
    public func release() {
        guard let current = state.withLock({ claim -> Claim? in defer { claim = nil }; return claim }) else { return }
        _ = try? run(sql("UPDATE sequencer_lease SET expires_at = '-infinity' WHERE id = 1 AND token = $1 AND holder = $2",
                         current.token, node))
    }

    /// The lease row as it is now.
    public func holder() throws -> WriterLeaseHolder {
        guard let row = try run("SELECT holder, address, token, expires_at > now() FROM sequencer_lease WHERE id = 1").first else {
            throw StorageError.corrupt("the sequencer_lease row is missing")
        }
        let (node, address, token, live) = try row.decode((String, String, Int64, Bool).self)
        return WriterLeaseHolder(node: node, address: address, token: token, live: live)
    }
}
