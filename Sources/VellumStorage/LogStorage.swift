import VellumMerkle

// The log's storage, as narrow protocols. Readers are used concurrently by the API (proofs,
// lookups); the writer is used by the sequencer alone. A PostgreSQL backend would implement the
// same protocols (ARCHITECTURE.md §7).

/// Hash tiles, one version per (level, index): the newest (widest) one written.
///
/// Contract: safe for concurrent readers, including while a write is in progress; a reader sees
/// only committed tiles. A wider tile always starts with the narrower one it replaces, so a
/// reader that sees a newer tile than its checkpoint needs can still use it.
public protocol TileStorage: Sendable {
    /// The stored versions of the tiles asked for; tiles that do not exist are left out.
    func tiles(_ ids: [TileID]) throws -> [Tile]
}

/// C2SP entry bundles, one version per index: all the entries of that bundle committed so far.
///
/// Contract: safe for concurrent readers; committed data only. A bundle only grows: a reader
/// that sees a newer version than its checkpoint needs gets the older one as a prefix of it
/// (as with tiles), and once full (256 entries) a bundle never changes again.
public protocol EntryBundleStorage: Sendable {
    /// The bundle bytes, or nil if no entry of that bundle has been committed.
    func entryBundle(index: UInt64) throws -> [UInt8]?
}

/// The tree state and the history of signed checkpoints.
///
/// Contract: safe for concurrent readers; committed data only. The state and the latest
/// checkpoint change together, in one write.
public protocol TreeStateStorage: Sendable {
    /// The committed tree state (`TreeState.empty` for a new log).
    func treeState() throws -> TreeState
    /// The latest signed checkpoint, or nil for a new log.
    func latestCheckpoint() throws -> StoredCheckpoint?
    /// The checkpoint signed at exactly `size`, if the log signed one.
    func checkpoint(size: UInt64) throws -> StoredCheckpoint?
    /// The first signed checkpoint that covers the entry at `index` (the smallest signed size
    /// above `index`), or nil if none does yet. Its signing time is the entry's integration time.
    func checkpoint(covering index: UInt64) throws -> StoredCheckpoint?
}

/// The identity (dedup) index: an entry's identity hash → its index.
///
/// Contract: safe for concurrent readers; committed data only.
public protocol IdentityIndex: Sendable {
    /// The index of the entry with `identity`, if it is in the log.
    func index(ofIdentity identity: Hash) throws -> UInt64?
}

/// Search-index rows: opaque keys (digests, key fingerprints, identities) → entry indices.
///
/// Contract: safe for concurrent readers; committed data only.
public protocol SearchIndex: Sendable {
    /// Indices recorded under `key`, ascending, at most `limit`.
    func indices(forKey key: [UInt8], limit: Int) throws -> [UInt64]
}

/// Attachments: bytes kept beside an entry, by its index, outside the tree (an intoto entry's
/// statement). What they mean is the entry kind's business.
///
/// Contract: safe for concurrent readers; committed data only.
public protocol AttachmentStorage: Sendable {
    /// The attachment of the entry at `index`, if it has one.
    func attachment(index: UInt64) throws -> [UInt8]?
}

/// The writes of one batch. Only valid inside `LogStorage.write`.
public protocol LogWriteTransaction {
    /// Stores (or replaces) a tile.
    func putTile(_ tile: Tile) throws
    /// Stores a newer version of an entry bundle: `bytes` is the whole bundle so far.
    ///
    /// Entries are only appended, so a newer version extends the stored one: it starts with
    /// the stored entries and adds zero or more (up to 256 in all). A store keeps the entries
    /// it has and takes from `bytes` only those past them, so a batch costs its new entries,
    /// not the whole bundle; it does not compare the earlier entries with the stored ones (that
    /// would mean reading them back), so a version that changes one is a caller bug whose
    /// change is ignored. Throws `StorageError.entryBundleShrinks` if `bytes` holds fewer
    /// entries than are stored, `StorageError.invalidEntryBundle` if it is not a bundle.
    func putEntryBundle(index: UInt64, bytes: [UInt8]) throws
    /// Records an identity; throws `StorageError.duplicateIdentity` if it is already there.
    func putIdentity(_ identity: Hash, index: UInt64) throws
    /// Records an identity unless it is already there (committed, or written earlier in this
    /// transaction), in one lookup. Returns nil when it was recorded, else the existing index.
    func putIdentityIfAbsent(_ identity: Hash, index: UInt64) throws -> UInt64?
    /// `putIdentityIfAbsent` for a batch: records each of `identities` unless it is already
    /// there (committed, written earlier in this transaction, or earlier in the list), giving
    /// the new ones consecutive indices from `firstIndex` in list order. Returns, per identity,
    /// nil when it was recorded, else the index it already has. Stores with a round trip per
    /// lookup (PostgreSQL) answer the whole batch in one.
    func putIdentitiesIfAbsent(_ identities: [Hash], firstIndex: UInt64) throws -> [UInt64?]
    /// Records a search key for an entry.
    func putSearchKey(_ key: [UInt8], index: UInt64) throws
    /// Stores the attachment of the entry at `index` (written once, with the entry).
    func putAttachment(_ bytes: [UInt8], index: UInt64) throws
    /// Sets the tree state.
    func putTreeState(_ state: TreeState) throws
    /// Appends a signed checkpoint to the history; throws
    /// `StorageError.checkpointGoesBackwards` if its size is below the latest stored one.
    func putCheckpoint(_ checkpoint: StoredCheckpoint) throws
}

/// Everything the log stores, and the one way to change it.
public protocol LogStorage: TileStorage, EntryBundleStorage, TreeStateStorage, IdentityIndex, SearchIndex,
    AttachmentStorage {
    /// Applies `body`'s writes atomically and durably.
    ///
    /// Contract: one writer at a time (the sequencer); all or nothing: if `body` or the commit
    /// throws, nothing it wrote is visible, to readers or after a restart; durable on return:
    /// once this returns, a crash (even a power cut, for backends that promise it) keeps every
    /// write.
    func write(_ body: (any LogWriteTransaction) throws -> Void) throws

    /// Applies `body`'s writes atomically, like `write`, but makes them durable only at the
    /// next `sync()`, so that the next write can run while this one reaches the disk.
    ///
    /// Contract: one writer at a time; all or nothing, as `write`; on return the writes are
    /// committed: visible to readers, and kept if the process dies, but a power cut or an OS
    /// crash before the next `sync()` returns may undo them, together with every later one
    /// (never an earlier one, never half of one). Nothing committed may be acknowledged or
    /// published until a `sync()` that started after the commit has returned.
    func commit(_ body: (any LogWriteTransaction) throws -> Void) throws

    /// Makes every write committed before the call durable. Safe to call from another thread
    /// while a `commit` runs (which it does not wait for). If it throws, what was committed
    /// may or may not survive a crash: the caller must stop acknowledging anything.
    func sync() throws
}

extension LogWriteTransaction {
    public func putIdentitiesIfAbsent(_ identities: [Hash], firstIndex: UInt64) throws -> [UInt64?] {
        var next = firstIndex
        return try identities.map { identity in
            if let existing = try putIdentityIfAbsent(identity, index: next) { return existing }
            next += 1
            return nil
        }
    }
}

extension LogStorage {
    /// Stores whose every write is durable on return: committing is writing, syncing is free.
    public func commit(_ body: (any LogWriteTransaction) throws -> Void) throws { try write(body) }
    public func sync() throws {}
}

/// Small named facts a log keeps beside its tree (the tree ID, the host name of its origin):
/// set once and never changed, since entry IDs and the checkpoint origin carry them.
public protocol MetadataStorage: Sendable {
    /// The value stored under `key`, or nil.
    func metadata(_ key: String) throws -> String?
    /// Stores `value` under `key` unless a value is there, durably and atomically (nodes that
    /// race at first start agree on the first one), and returns the value stored afterwards.
    func setMetadataIfAbsent(_ key: String, value: String) throws -> String
}

/// Everything the HTTP server asks of a store: the log, its metadata, and single entries read
/// without the caller parsing whole bundles. Only the executable knows which store this is.
public protocol ServedLogStorage: LogStorage, MetadataStorage {
    /// The entry at `position` of entry bundle `bundleIndex`, or nil when there is none.
    func entry(bundleIndex: UInt64, position: Int) throws -> [UInt8]?
    /// The lease a shared store fences writes with (nil for a store one process owns).
    var writerLease: (any WriterLease)? { get }
}
