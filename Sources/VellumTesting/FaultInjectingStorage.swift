import VellumSync
import VellumMerkle
import VellumStorage

/// Wraps a store and fails its next write at a named point, to check that the sequencer and
/// the store leave a consistent log behind.
public final class FaultInjectingStorage: LogStorage {
    public enum Point: String, Sendable, CaseIterable {
        /// The write fails before anything reaches the store.
        case beforeCommit
        /// The write fails inside the transaction, after some of its writes (tiles, bundles,
        /// identities) were made: the store must roll all of them back.
        case insideTransaction
        /// The write commits, then reports failure: the data is durable but the sequencer
        /// believes the batch failed (a crash between commit and waking the waiters).
        case afterCommit
        /// The write commits, then making it durable fails (an fsync error): the batch and
        /// every batch committed after it must fail, and the sequencer must stop.
        case inSync
    }

    public let base: any LogStorage
    private let armed = Locked<Point?>(nil)

    public init(wrapping base: any LogStorage) {
        self.base = base
    }

    /// Makes the next write fail at `point`.
    public func failNextWrite(at point: Point) { armed.withLock { $0 = point } }

    public func tiles(_ ids: [TileID]) throws -> [Tile] { try base.tiles(ids) }
    public func entryBundle(index: UInt64) throws -> [UInt8]? { try base.entryBundle(index: index) }
    public func treeState() throws -> TreeState { try base.treeState() }
    public func latestCheckpoint() throws -> StoredCheckpoint? { try base.latestCheckpoint() }
    public func checkpoint(size: UInt64) throws -> StoredCheckpoint? { try base.checkpoint(size: size) }
    public func checkpoint(covering index: UInt64) throws -> StoredCheckpoint? { try base.checkpoint(covering: index) }
    public func index(ofIdentity identity: Hash) throws -> UInt64? { try base.index(ofIdentity: identity) }
    public func indices(forKey key: [UInt8], limit: Int) throws -> [UInt64] { try base.indices(forKey: key, limit: limit) }
    public func attachment(index: UInt64) throws -> [UInt8]? { try base.attachment(index: index) }

    public func write(_ body: (any LogWriteTransaction) throws -> Void) throws {
        try commit(body)
        try sync()
    }

    public func commit(_ body: (any LogWriteTransaction) throws -> Void) throws {
        let point = armed.withLock { point in
            defer { if point != .inSync { point = nil } }
            return point
        }
        switch point {
        case nil, .inSync:
            try base.commit(body)
        case .beforeCommit:
            throw StorageError.injected(Point.beforeCommit.rawValue)
        case .insideTransaction:
            try base.commit { tx in
                try body(tx)
                throw StorageError.injected(Point.insideTransaction.rawValue)
            }
        case .afterCommit:
            try base.commit(body)
            throw StorageError.injected(Point.afterCommit.rawValue)
        }
    }

    public func sync() throws {
        try base.sync()
        let point = armed.withLock { point in
            defer { if point == .inSync { point = nil } }
            return point
        }
        if point == .inSync { throw StorageError.injected(Point.inSync.rawValue) }
    }
}
