import Foundation
import Logging
import PostgresNIO
import VellumMerkle
import VellumStorage
import VellumSync

/// The log in a PostgreSQL database, shared by any number of `vellum serve` nodes
/// (ARCHITECTURE.md §7). The same contract as the SQLite store: one transaction per batch
/// holding its tiles, bundles, index rows, tree state and signed checkpoint; readers see only
/// committed batches and never use the writer's connection.
///
/// What SQLite does not need: every write first renews the sequencer lease under this node's
/// fencing token, in the same transaction (`SequencerLease`). A node that lost the lease —
/// paused, partitioned, or simply slower than its expiry — finds another token there and
/// commits nothing; a new leader's takeover waits on the row lock of a batch in flight, then
/// sees it renewed. So at most one node's batches ever land, and each extends the last.
///
/// Commits are durable when they return (`synchronous_commit` as the server has it, `on` by
/// default), so `commit` is `write` and `sync` has nothing to do.
public final class PostgresLogStorage: ServedLogStorage {
    public let location: PostgresLocation
    /// The sequencer lease this store's writes are fenced by.
    public let lease: SequencerLease
    public var writerLease: (any WriterLease)? { lease }
    private let writer: LendingPool<PostgresSession>
    private let readers: LendingPool<PostgresSession>
    private let recentBundles = RecentBundles()
    let logger: Logger

    /// Connects, applies missing migrations (race-free with nodes starting at the same moment)
    /// and returns the store. `readers` connections serve reads, opened as they are first needed.
    public static func open(location: PostgresLocation, readers: Int = max(4, ProcessInfo.processInfo.activeProcessorCount),
                            leaseDuration: Duration = .seconds(3), node: String? = nil,
                            logger: Logger = Logger(label: "vellum.postgres")) throws -> PostgresLogStorage {
        let writer = PostgresSession(location: location, logger: logger)
        // A writer paused inside a batch (SIGSTOP, a stalled VM) holds the lease row's lock; the
        // server ends such a session after this long idle, so the lock cannot outlive the lease.
        let idleLimit = max(500, Int(leaseDuration.components.seconds * 1000) / 2)
        writer.onReconnect = "SET idle_in_transaction_session_timeout = \(idleLimit)"
        try storageErrors { _ = try PostgresSchema.migrate(writer) }
        let lease = SequencerLease(session: PostgresSession(location: location, logger: logger),
                                   node: node ?? SequencerLease.newNodeName(), duration: leaseDuration)
        return PostgresLogStorage(location: location, lease: lease, writer: writer,
                                  readers: (0..<max(1, readers)).map { _ in PostgresSession(location: location, logger: logger) },
                                  logger: logger)
    }

    init(location: PostgresLocation, lease: SequencerLease, writer: PostgresSession, readers: [PostgresSession], logger: Logger) {
        self.location = location
        self.lease = lease
        self.writer = LendingPool([writer])
        self.readers = LendingPool(readers)
        self.logger = logger
    }

    /// Runs one read on a pooled connection, its failures as `StorageError.backend`.
    func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try storageErrors { try readers.withResource(body) }
    }

    func rows(_ query: PostgresQuery) throws -> PostgresQueryResult { try read { try $0.run(query) } }

    // MARK: Reads

    public func tiles(_ ids: [TileID]) throws -> [Tile] {
        guard !ids.isEmpty else { return [] }
        let result = try rows(sql("""
            SELECT t.level, t.idx, t.data FROM tiles t
            JOIN unnest($1::smallint[], $2::bigint[]) AS wanted(level, idx) ON t.level = wanted.level AND t.idx = wanted.idx
            """, ids.map { Int16($0.level) }, ids.map { Int64(clamping: $0.index) }))
        return try result.map { row in
            let (level, index, data) = try row.decode((Int16, Int64, ByteBuffer).self)
            guard let hashes = [Hash](concatenated: data.readableBytesView), !hashes.isEmpty, let level = UInt8(exactly: level) else {
                throw StorageError.corrupt("tile \(level)/\(index) holds \(data.readableBytes) bytes")
            }
            return Tile(id: TileID(level: level, index: try unsigned(index, "tile index")), hashes: hashes)
        }
    }

    public func entryBundle(index: UInt64) throws -> [UInt8]? {
        guard let index = Int64(exactly: index) else { return nil }
        return try rows(sql("SELECT data FROM entry_bundles WHERE idx = $1", index)).first?.decode(ByteBuffer.self).bytes
    }

    /// One entry, from a bundle read before when it holds that position: bundles only grow, so
    /// any version read serves the entries it has. Without this every lookup fetched its whole
    /// bundle (up to 256 entries, ~400 KiB of hashedrekord) from the server, and a node served
    /// ~1,500 lookups/s where SQLite serves ten times as many.
    public func entry(bundleIndex: UInt64, position: Int) throws -> [UInt8]? {
        if let known = recentBundles.bundle(bundleIndex, holding: position) {
            return try Self.entry(at: position, of: bundleIndex, in: known)
        }
        guard let index = Int64(exactly: bundleIndex),
              let row = try rows(sql("SELECT data, entries FROM entry_bundles WHERE idx = $1", index)).first else { return nil }
        let (data, entries) = try row.decode((ByteBuffer, Int32).self)
        let bundle = data.bytes
        recentBundles.keep(bundle, entries: Int(entries), as: bundleIndex)
        return try Self.entry(at: position, of: bundleIndex, in: bundle)
    }

    private static func entry(at position: Int, of bundleIndex: UInt64, in bundle: [UInt8]) throws -> [UInt8]? {
        do {
            return try EntryBundle.entry(at: position, in: bundle).map(Array.init)
        } catch {
            throw StorageError.corrupt("entry bundle \(bundleIndex): \(error)")
        }
    }

    public func treeState() throws -> TreeState {
        guard let row = try rows("SELECT size, root FROM tree_state WHERE id = 1").first else { return .empty }
        let (size, root) = try row.decode((Int64, ByteBuffer).self)
        return TreeState(size: try unsigned(size, "tree size"), root: try root.hash("tree root"))
    }

    static let checkpointColumns = "size, root, note, signed_at"

    static func checkpoint(_ row: PostgresRow) throws -> StoredCheckpoint {
        let (size, root, note, signedAt) = try row.decode((Int64, ByteBuffer, ByteBuffer, Int64).self)
        return StoredCheckpoint(size: try unsigned(size, "checkpoint size"), root: try root.hash("checkpoint root"),
                                note: note.bytes, signedAt: try unsigned(signedAt, "signing time"))
    }

    public func latestCheckpoint() throws -> StoredCheckpoint? {
        try rows(PostgresQuery(unsafeSQL: "SELECT \(Self.checkpointColumns) FROM checkpoints ORDER BY size DESC LIMIT 1"))
            .first.map(Self.checkpoint)
    }

    public func checkpoint(size: UInt64) throws -> StoredCheckpoint? {
        guard let size = Int64(exactly: size) else { return nil }
        return try rows(sql("SELECT \(Self.checkpointColumns) FROM checkpoints WHERE size = $1", size)).first.map(Self.checkpoint)
    }

    public func checkpoint(covering index: UInt64) throws -> StoredCheckpoint? {
        guard let index = Int64(exactly: index) else { return nil }
        return try rows(sql("SELECT \(Self.checkpointColumns) FROM checkpoints WHERE size > $1 ORDER BY size LIMIT 1", index))
            .first.map(Self.checkpoint)
    }

    public func index(ofIdentity identity: Hash) throws -> UInt64? {
        try rows(sql("SELECT idx FROM identities WHERE identity = $1", ByteBuffer(identity))).first
            .map { try unsigned(try $0.decode(Int64.self), "index") }
    }

    public func indices(forKey key: [UInt8], limit: Int) throws -> [UInt64] {
        guard limit > 0 else { return [] }
        return try rows(sql("SELECT idx FROM search_keys WHERE key = $1 ORDER BY idx LIMIT $2", ByteBuffer(bytes: key), Int64(limit)))
            .map { try unsigned(try $0.decode(Int64.self), "index") }
    }

    public func attachment(index: UInt64) throws -> [UInt8]? {
        guard let index = Int64(exactly: index) else { return nil }
        return try rows(sql("SELECT data FROM attachments WHERE idx = $1", index)).first?.decode(ByteBuffer.self).bytes
    }

    public func metadata(_ key: String) throws -> String? {
        try rows(sql("SELECT value FROM metadata WHERE key = $1", key)).first?.decode(String.self)
    }

    /// The unique key decides between nodes racing at first start: the first insert wins and
    /// everyone reads the winner back.
    public func setMetadataIfAbsent(_ key: String, value: String) throws -> String {
        try read { session in
            let results = try session.pipeline([
                try sql("INSERT INTO metadata (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", key, value),
                try sql("SELECT value FROM metadata WHERE key = $1", key),
            ])
            guard let stored = try results[1].first?.decode(String.self) else {
                throw StorageError.backend("metadata \(key) was written but does not read back")
            }
            return stored
        }
    }

    // MARK: Writes

    /// One transaction: BEGIN and the fenced lease renewal, `body` (whose identity lookups run
    /// in the transaction and whose writes are collected), the collected writes, COMMIT.
    /// A crash anywhere before COMMIT returns leaves the previous batch as the last one.
    public func write(_ body: (any LogWriteTransaction) throws -> Void) throws {
        guard let claim = lease.claim else {
            throw StorageError.fenced("this node does not hold the sequencer lease, so it may not write")
        }
        try writer.withResource { session in
            let sent = ContinuousClock.now
            try storageErrors {
                try session.transaction(first: SequencerLease.renewal(token: claim.token, holder: lease.node, duration: lease.duration)) {
                    fence in
                    guard fence?.count == 1 else {
                        lease.lost(claim)
                        throw StorageError.fenced("this node's sequencer lease (token \(claim.token)) was taken over; "
                                                  + "it commits nothing more")
                    }
                    let transaction = PostgresWriteTransaction(session: session)
                    try body(transaction)
                    try transaction.flush()
                }
                lease.renewed(claim, sent: sent)
            }
        }
    }

    /// Closes every connection, releasing the lease first so that another node takes over at once.
    public func close() {
        lease.release()
        writer.withResource { $0.close() }
    }
}
