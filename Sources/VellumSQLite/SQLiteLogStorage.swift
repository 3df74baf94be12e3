import CSQLite
import Foundation
import Synchronization
import VellumSync
import VellumMerkle
import VellumStorage

/// The log's page store in one SQLite file (WAL mode): one row per tile and per full entry
/// bundle, one per entry of the open bundle (`+EntryBundles`), the tree state, the checkpoint
/// history and the identity and search indices (`migrations/`).
///
/// One writer connection, used only by `write` and `commit` (the sequencer): `write` is
/// durable on return, `commit` at the next `sync()`, which fsyncs the WAL. A pool of
/// read-only connections serves every read, concurrently, each from the last committed
/// snapshot. The writer never serves a read. A third kind of connection, on a thread of its
/// own, copies the WAL back into the database (`+Checkpoints`).
public final class SQLiteLogStorage: LogStorage {
    public let path: String
    /// The writer connection; the mutex also serialises writers.
    let writer: Locked<SQLiteConnection>
    private let readers: SQLiteReadPool
    /// The tails of the two-level indices, as committed (see `MergeTail`). Readers look here
    /// before they query the runs (and the b-trees of rows merged before them); only `write` changes them, after
    /// its COMMIT.
    let identityTail: Locked<MergeTail<Hash>>
    /// Search keys are kept as their SHA-256 (`searchDigest`) in the tail and the runs.
    let searchTail: Locked<MergeTail<Hash>>
    let configuration: SQLiteConfiguration
    /// Checkpoints the WAL on a thread of its own (`+Checkpoints`).
    let checkpoints: WALCheckpointer
    /// Where the entries of recently read full bundles start (`+Entries`).
    let bundleOffsets = BundleOffsets()
    /// Lets the writer skip the runs' lookup for new identities; nil when configured off.
    let identityFilter: IdentityFilter?
    /// Fills `identityFilter` with the identities stored before open.
    private let filterScan = DispatchQueue(label: "vellum.sqlite.identity-filter")
    /// The WAL file, opened by us only to fsync it in `sync()` (see `commit`).
    private let walDescriptor: Int32
    private let syncs = Atomic<Int>(0)

    /// How many times `sync()` has fsynced the WAL since open (benchmarks report the rate;
    /// checkpoints' own fsyncs are counted apart, in `checkpointCount`).
    public var syncCount: Int { syncs.load(ordering: .relaxed) }

    /// Opens (creating if needed, and migrating) the database at `path`.
    ///
    /// Open one `SQLiteLogStorage` per database file: it keeps the newest identities and
    /// search keys in memory, so a second instance on the same file would not see the first one's writes
    /// until it is reopened.
    public init(path: String, readers: Int = SQLiteReadPool.defaultSize, configuration: SQLiteConfiguration = .default) throws {
        self.path = path
        let connection = try SQLiteConnection.openWriter(path: path, configuration: configuration)
        // Commits write the WAL without fsyncing it; `sync()` does that, on another thread
        // (see `commit`). A WAL restart still syncs the new WAL header, and a checkpoint still
        // syncs the WAL before and the database after copying, so NORMAL keeps the file
        // consistent; what it gives up, durability at COMMIT, `sync()` gives back.
        try connection.execute("PRAGMA synchronous = NORMAL")
        // Debian's SQLite zeroes deleted content (SECURE_DELETE); every batch deletes rows
        // (merged tail rows, the open rows of a filled bundle, replaced right-edge tiles), and
        // zeroing them writes whole extra pages. Everything here is public log data: zero only
        // where it costs no extra I/O.
        try connection.execute("PRAGMA secure_delete = FAST")
        // The writer has run a transaction (the migrations' check), so the WAL exists. SQLite
        // removes it only when the last connection closes, and this store keeps its own open.
        let wal = open(path + "-wal", O_RDONLY | O_CLOEXEC)
        guard wal >= 0 else {
            throw StorageError.backend("cannot open the WAL \(path)-wal to sync it: \(String(cString: strerror(errno)))")
        }
        self.walDescriptor = wal
        self.identityTail = Locked(try MergeTail.load(connection, .identities, generation: configuration.identityTailEntries))
        self.searchTail = Locked(try MergeTail.load(connection, .search, generation: configuration.searchTailEntries))
        self.configuration = configuration
        self.writer = Locked(connection)
        self.readers = try SQLiteReadPool(path: path, size: readers, configuration: configuration)
        self.checkpoints = try WALCheckpointer(path: path, configuration: configuration)
        self.identityFilter = configuration.identityFilterBytes > 0 ? IdentityFilter(bytes: configuration.identityFilterBytes) : nil
        try installCheckpointHook()
        // A previous process may have committed batches it never synced (it died first): they
        // are in the OS's cache, and they are about to be read and served. Make them durable.
        // (The database file needs nothing: a checkpoint syncs it before the WAL can restart.)
        try sync()
        if let identityFilter { Self.scan(path: path, configuration: configuration, into: identityFilter, on: filterScan) }
    }

    deinit { close(walDescriptor) }

    /// Adds every identity in the b-tree and the runs to `filter`, in the background, then
    /// marks it ready.
    /// Rows merged meanwhile are added by the writer, so the scan's snapshot (taken after the
    /// writer began adding) plus the writer's adds cover every row. On an error the filter is
    /// simply never ready: every lookup keeps going to SQLite.
    private static func scan(path: String, configuration: SQLiteConfiguration, into filter: IdentityFilter, on queue: DispatchQueue) {
        queue.async {
            do {
                let connection = try SQLiteConnection.openReader(path: path, configuration: configuration)
                var chunk: [Hash] = []
                chunk.reserveCapacity(4096)
                try connection.withStatement("SELECT leaf_hash FROM identities") { statement in
                    while try statement.step() {
                        chunk.append(try hash(statement, at: 0))
                        if chunk.count == 4096 {
                            filter.add(chunk)
                            chunk.removeAll(keepingCapacity: true)
                        }
                    }
                }
                filter.add(chunk)
                // Every run's blocks, retired and building ones too: a superset does no harm.
                try connection.withStatement("SELECT data FROM identity_blocks") { statement in
                    while try statement.step() {
                        let rows = try statement.withBlob(at: 0) { try RunBlock.decode($0) }
                        filter.add(rows.lazy.map(\.key))
                    }
                }
                try connection.close()
                filter.markReady()
            } catch {}
        }
    }

    /// Waits for the identity filter's first scan to end (for tests and benchmarks).
    public func waitForIdentityFilter() {
        filterScan.sync {}
    }

    /// Runs a read on a pooled connection, mapping SQLite failures to `StorageError.backend`.
    func read<R>(_ body: (SQLiteConnection) throws -> R) throws -> R {
        do {
            return try readers.withConnection(body)
        } catch let error as SQLiteError {
            throw StorageError.backend(error.description)
        }
    }

    public func tiles(_ ids: [TileID]) throws -> [Tile] {
        try read { db in
            try db.withStatement("SELECT data FROM tiles WHERE level = ?1 AND idx = ?2") { statement in
                var result: [Tile] = []
                result.reserveCapacity(ids.count)
                for id in ids {
                    try statement.bind(Int64(id.level), at: 1)
                    try statement.bind(id.index, at: 2)
                    if try statement.step() {
                        let hashes = statement.withBlob(at: 0) { bytes in
                            stride(from: 0, to: bytes.count, by: 32).map { Hash(copying: bytes.baseAddress! + $0) }
                        }
                        result.append(Tile(id: id, hashes: hashes))
                    }
                    try statement.reset()
                }
                return result
            }
        }
    }

    public func treeState() throws -> TreeState {
        try read { db in
            try db.withStatement("SELECT size, root FROM tree_state WHERE id = 0") { statement in
                guard try statement.step() else { return .empty }
                return try TreeState(size: statement.uint64(at: 0), root: Self.hash(statement, at: 1))
            }
        }
    }

    public func latestCheckpoint() throws -> StoredCheckpoint? {
        try read { db in
            try db.withStatement("SELECT size, root, note, signed_at FROM checkpoints ORDER BY size DESC LIMIT 1") { statement in
                try statement.step() ? Self.checkpoint(statement) : nil
            }
        }
    }

    public func checkpoint(size: UInt64) throws -> StoredCheckpoint? {
        try read { db in
            try db.withStatement("SELECT size, root, note, signed_at FROM checkpoints WHERE size = ?1") { statement in
                try statement.bind(size, at: 1)
                return try statement.step() ? Self.checkpoint(statement) : nil
            }
        }
    }

    public func checkpoint(covering index: UInt64) throws -> StoredCheckpoint? {
        try read { db in
            try db.withStatement("SELECT size, root, note, signed_at FROM checkpoints WHERE size > ?1 ORDER BY size LIMIT 1") { statement in
                try statement.bind(index, at: 1)
                return try statement.step() ? Self.checkpoint(statement) : nil
            }
        }
    }

    public func attachment(index: UInt64) throws -> [UInt8]? {
        try read { db in
            try db.withStatement("SELECT data FROM attachments WHERE idx = ?1") { statement in
                try statement.bind(index, at: 1)
                return try statement.step() ? statement.blob(at: 0) : nil
            }
        }
    }

    public func index(ofIdentity identity: Hash) throws -> UInt64? {
        // The tail first: a row that leaves it has been committed to a live run before.
        if let index = identityTail.withLock({ $0.firstIndex(of: identity) }) { return index }
        // One snapshot for the list of live runs and their blocks.
        return try read { db in try db.transaction(.deferred) { try Self.identityIndex(db, identity) } }
    }

    public func indices(forKey key: [UInt8], limit: Int) throws -> [UInt64] {
        // The tail first, as for identities; a row merged meanwhile is in both, hence the set.
        let digest = Self.searchDigest(key)
        let recent = searchTail.withLock { $0.indices(of: digest) }
        let stored = try read { db in
            try db.transaction(.deferred) {
                try IndexRuns.indices(of: digest, db, .search) + IndexRuns.legacyIndices(of: key, db, .search, limit: limit)
            }
        }
        return Array(Set(stored + recent).sorted().prefix(max(0, limit)))
    }

    /// `commit`, then `sync`: durable on return.
    public func write(_ body: (any LogWriteTransaction) throws -> Void) throws {
        try commit(body)
        try sync()
    }

    /// One write transaction, committed without waiting for the disk: the WAL frames are
    /// written (to the OS) and COMMIT returns; `sync()` fsyncs the WAL later, from any thread,
    /// covering every commit before it. This lets the sequencer write batch N+1 while batch N
    /// reaches the disk. A process crash keeps a commit (it is in the OS's cache); a power cut
    /// or OS crash before the next `sync()` may roll back the last commits, never half of one
    /// (the WAL's checksums end recovery at the last whole commit).
    public func commit(_ body: (any LogWriteTransaction) throws -> Void) throws {
        try writer.withLock { db in
            finishCheckpoint(db)
            let changes: TailChanges
            do {
                changes = try runTransaction(db, body)
            } catch {
                // Nothing of the transaction is kept, so the tails in memory are still right;
                // reread them anyway, so that memory follows the file even if a failing COMMIT
                // did reach the disk.
                if let reloaded = try? MergeTail<Hash>.load(db, .identities, generation: configuration.identityTailEntries) {
                    identityTail.withLock { $0 = reloaded }
                }
                if let reloaded = try? MergeTail<Hash>.load(db, .search, generation: configuration.searchTailEntries) {
                    searchTail.withLock { $0 = reloaded }
                }
                if let error = error as? SQLiteError { throw StorageError.backend(error.description) }
                throw error
            }
            identityTail.withLock { $0.commit(changes.identities) }
            searchTail.withLock { $0.commit(changes.search) }
        }
    }

    /// fsyncs the WAL: every commit made before the call is then durable. Frames already
    /// checkpointed into the database were synced there by the checkpoint itself.
    public func sync() throws {
        syncs.add(1, ordering: .relaxed)
        guard fdatasync(walDescriptor) == 0 else {
            throw StorageError.backend("fsync of \(path)-wal failed (\(String(cString: strerror(errno)))); "
                                       + "recent commits may not be durable: stop, fix the disk and restart")
        }
    }

    typealias TailChanges = (identities: MergeTail<Hash>.Changes, search: MergeTail<Hash>.Changes)

    /// BEGIN IMMEDIATE … COMMIT around `body` and the tails' share; a throw rolls everything
    /// back. The WAL is not fsynced here (see `commit`). Returns what to apply to the tails
    /// in memory. (A function of its own so that its snapshots of the tails
    /// are released before the caller changes them in place, which would otherwise copy them.)
    private func runTransaction(_ db: SQLiteConnection, _ body: (any LogWriteTransaction) throws -> Void) throws -> TailChanges {
        let transaction = Transaction(
            db: db,
            identityFilter: identityFilter,
            identities: TailWriter(db: db, tables: .identities, tail: identityTail.withLock { $0 },
                                   merged: identityFilter.map { filter in { rows in filter.add(rows.lazy.map(\.key)) } }),
            search: TailWriter(db: db, tables: .search, tail: searchTail.withLock { $0 }))
        try db.transaction(.immediate) {
            try body(transaction)
            try transaction.identities.finish()
            try transaction.search.finish()
        }
        return (transaction.identities.changes, transaction.search.changes)
    }

    static func hash(_ statement: SQLiteStatement, at column: Int) throws -> Hash {
        guard let hash = Hash(statement.blob(at: column)) else {
            throw StorageError.corrupt("a stored hash is not 32 bytes")
        }
        return hash
    }

    static func checkpoint(_ statement: SQLiteStatement) throws -> StoredCheckpoint {
        try StoredCheckpoint(size: statement.uint64(at: 0), root: hash(statement, at: 1),
                             note: statement.blob(at: 2), signedAt: statement.uint64(at: 3))
    }

    /// The index stored for `identity` in the live runs or the legacy b-tree; call it in one
    /// snapshot (see `IndexRuns.indices`).
    static func identityIndex(_ db: SQLiteConnection, _ identity: Hash) throws -> UInt64? {
        if let index = try IndexRuns.indices(of: identity, db, .identities).min() { return index }
        return try IndexRuns.legacyIndices(of: identity.bytes, db, .identities, limit: 1).first
    }

    /// What the search index stores for a search key: its SHA-256, so that every row of the
    /// tail and the runs is a fixed 40 bytes that sorts and copies without allocating (the
    /// keys themselves are up to hundreds of bytes). The b-tree of rows merged before version
    /// 7 holds the keys themselves.
    static func searchDigest(_ key: [UInt8]) -> Hash { RFC6962.sha256(of: key) }

    /// The writes of one batch on the writer connection, inside its transaction.
    struct Transaction: LogWriteTransaction {
        let db: SQLiteConnection
        let identityFilter: IdentityFilter?
        /// The transaction's share of each two-level index.
        let identities: TailWriter
        let search: TailWriter

        /// The index recorded for `identity` in the tail (this transaction's rows included), in
        /// the live runs or in the `identities` b-tree.
        func existingIndex(of identity: Hash) throws -> UInt64? {
            if let index = identities.firstIndex(of: identity) { return index }
            if identityFilter?.certainlyAbsent(identity) == true { return nil }
            return try SQLiteLogStorage.identityIndex(db, identity)
        }

        func putTile(_ tile: Tile) throws {
            try db.withStatement("INSERT OR REPLACE INTO tiles (level, idx, data) VALUES (?1, ?2, ?3)") { statement in
                try statement.bind(Int64(tile.id.level), at: 1)
                try statement.bind(tile.id.index, at: 2)
                try tile.hashes.withUnsafeBytes { bytes in try statement.withBlob(bytes, boundAt: 3) { try statement.run() } }
            }
        }

        func putIdentity(_ identity: Hash, index: UInt64) throws {
            if let existing = try existingIndex(of: identity) {
                throw StorageError.duplicateIdentity(identity, index: existing)
            }
            try identities.record(identity, index: index)
        }

        func putIdentityIfAbsent(_ identity: Hash, index: UInt64) throws -> UInt64? {
            // Memory, the filter, then the runs; a new identity costs one appended row.
            if let existing = try existingIndex(of: identity) { return existing }
            try identities.record(identity, index: index)
            return nil
        }

        func putSearchKey(_ key: [UInt8], index: UInt64) throws {
            // Refused as before (when keys were stored as they are, the b-tree's CHECK did).
            guard !key.isEmpty else { throw StorageError.backend("a search key must not be empty") }
            try search.record(SQLiteLogStorage.searchDigest(key), index: index)
        }

        func putAttachment(_ bytes: [UInt8], index: UInt64) throws {
            try db.withStatement("INSERT INTO attachments (idx, data) VALUES (?1, ?2)") { statement in
                try statement.bind(index, at: 1)
                try statement.withBlob(bytes, boundAt: 2) { try statement.run() }
            }
        }

        func putTreeState(_ state: TreeState) throws {
            try db.withStatement("INSERT OR REPLACE INTO tree_state (id, size, root) VALUES (0, ?1, ?2)") { statement in
                try statement.bind(state.size, at: 1)
                try state.root.withUnsafeBytes { bytes in try statement.withBlob(bytes, boundAt: 2) { try statement.run() } }
            }
        }

        func putCheckpoint(_ checkpoint: StoredCheckpoint) throws {
            let latest = try db.withStatement("SELECT max(size) FROM checkpoints") { statement -> UInt64? in
                guard try statement.step(), !statement.isNull(at: 0) else { return nil }
                return try statement.uint64(at: 0)
            }
            if let latest, checkpoint.size < latest {
                throw StorageError.checkpointGoesBackwards(stored: latest, new: checkpoint.size)
            }
            try db.withStatement("INSERT OR REPLACE INTO checkpoints (size, root, note, signed_at) VALUES (?1, ?2, ?3, ?4)") { statement in
                try statement.bind(checkpoint.size, at: 1)
                try statement.bind(checkpoint.signedAt, at: 4)
                try statement.withBlob(checkpoint.note, boundAt: 3) {
                    try checkpoint.root.withUnsafeBytes { bytes in try statement.withBlob(bytes, boundAt: 2) { try statement.run() } }
                }
            }
        }
    }
}
