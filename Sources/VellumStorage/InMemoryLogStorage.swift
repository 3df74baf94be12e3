import VellumSync
import VellumMerkle

/// A `LogStorage` in memory, for tests: the same contract as the durable stores, except that
/// nothing survives the process. Writes are staged and applied under one lock, so readers
/// never see half a batch.
public final class InMemoryLogStorage: ServedLogStorage {
    struct Contents {
        var tiles: [TileID: Tile] = [:]
        var bundles: [UInt64: [UInt8]] = [:]
        var identities: [Hash: UInt64] = [:]
        var search: [[UInt8]: [UInt64]] = [:]
        var attachments: [UInt64: [UInt8]] = [:]
        var state = TreeState.empty
        var checkpoints: [UInt64: StoredCheckpoint] = [:]
        var latest: StoredCheckpoint?
        var metadata: [String: String] = [:]
    }

    private let contents = Locked(Contents())
    /// Serialises writers, so the stage-then-apply below is not raced by a second writer.
    private let writer = Locked(())

    public init() {}

    public func metadata(_ key: String) throws -> String? { contents.withLock { $0.metadata[key] } }

    public func setMetadataIfAbsent(_ key: String, value: String) throws -> String {
        contents.withLock { c in
            if let stored = c.metadata[key] { return stored }
            c.metadata[key] = value
            return value
        }
    }

    public func entry(bundleIndex: UInt64, position: Int) throws -> [UInt8]? {
        guard let bundle = try entryBundle(index: bundleIndex) else { return nil }
        return try EntryBundle.entry(at: position, in: bundle).map(Array.init)
    }

    public func tiles(_ ids: [TileID]) throws -> [Tile] {
        contents.withLock { c in ids.compactMap { c.tiles[$0] } }
    }

    public func entryBundle(index: UInt64) throws -> [UInt8]? {
        contents.withLock { $0.bundles[index] }
    }

    public func treeState() throws -> TreeState { contents.withLock { $0.state } }

    public func latestCheckpoint() throws -> StoredCheckpoint? { contents.withLock { $0.latest } }

    public func checkpoint(size: UInt64) throws -> StoredCheckpoint? {
        contents.withLock { $0.checkpoints[size] }
    }

    public func checkpoint(covering index: UInt64) throws -> StoredCheckpoint? {
        contents.withLock { contents in
            contents.checkpoints.values.filter { $0.size > index }.min { $0.size < $1.size }
        }
    }

    public func index(ofIdentity identity: Hash) throws -> UInt64? {
        contents.withLock { $0.identities[identity] }
    }

    public func indices(forKey key: [UInt8], limit: Int) throws -> [UInt64] {
        contents.withLock { Array(($0.search[key] ?? []).sorted().prefix(limit)) }
    }

    public func attachment(index: UInt64) throws -> [UInt8]? {
        contents.withLock { $0.attachments[index] }
    }

    public func write(_ body: (any LogWriteTransaction) throws -> Void) throws {
        try writer.withLock { _ in
            let staged = Transaction(base: contents.withLock { $0 })
            try body(staged)
            // Commit: swap in the staged copy at once.
            contents.withLock { $0 = staged.contents }
        }
    }

    /// Writes go to a private copy that replaces the live contents only when the body succeeds.
    final class Transaction: LogWriteTransaction {
        var contents: Contents

        init(base: Contents) { contents = base }

        func putTile(_ tile: Tile) throws { contents.tiles[tile.id] = tile }

        /// Keeps the stored entries and appends the new ones, as the SQLite store does (the
        /// contract in `LogWriteTransaction`), so tests on this store see the same bundles.
        func putEntryBundle(index: UInt64, bytes: [UInt8]) throws {
            var bundle = contents.bundles[index] ?? []
            let storedCount = try EntryBundle(parsing: bundle).entries.count
            let appended = try EntryBundle.entries(appendedTo: storedCount, bundle: index, in: bytes)
            guard !appended.isEmpty else { return }
            for entry in appended { EntryBundle.append(entry, to: &bundle) }
            contents.bundles[index] = bundle
        }

        func putIdentity(_ identity: Hash, index: UInt64) throws {
            if let existing = contents.identities[identity] {
                throw StorageError.duplicateIdentity(identity, index: existing)
            }
            contents.identities[identity] = index
        }

        func putIdentityIfAbsent(_ identity: Hash, index: UInt64) throws -> UInt64? {
            if let existing = contents.identities[identity] { return existing }
            contents.identities[identity] = index
            return nil
        }

        func putSearchKey(_ key: [UInt8], index: UInt64) throws {
            if !(contents.search[key]?.contains(index) ?? false) { contents.search[key, default: []].append(index) }
        }

        func putAttachment(_ bytes: [UInt8], index: UInt64) throws { contents.attachments[index] = bytes }

        func putTreeState(_ state: TreeState) throws { contents.state = state }

        func putCheckpoint(_ checkpoint: StoredCheckpoint) throws {
            if let latest = contents.latest, checkpoint.size < latest.size {
                throw StorageError.checkpointGoesBackwards(stored: latest.size, new: checkpoint.size)
            }
            contents.checkpoints[checkpoint.size] = checkpoint
            contents.latest = checkpoint
        }
    }
}
