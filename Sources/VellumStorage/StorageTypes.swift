import VellumMerkle

/// The tree as last committed: its size and root.
public struct TreeState: Hashable, Sendable {
    public var size: UInt64
    public var root: Hash

    public init(size: UInt64, root: Hash) {
        self.size = size
        self.root = root
    }

    /// The empty tree.
    public static let empty = TreeState(size: 0, root: RFC6962.emptyRoot)
}

/// A checkpoint the log signed: the body's size and root, the whole signed note (every
/// signature line), and when it was signed (milliseconds since the Unix epoch).
public struct StoredCheckpoint: Hashable, Sendable {
    public var size: UInt64
    public var root: Hash
    public var note: [UInt8]
    public var signedAt: UInt64

    public init(size: UInt64, root: Hash, note: [UInt8], signedAt: UInt64) {
        self.size = size
        self.root = root
        self.note = note
        self.signedAt = signedAt
    }
}

/// Why a store refused an operation.
public enum StorageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The identity is already in the log at `index`; the write was not applied.
    case duplicateIdentity(Hash, index: UInt64)
    /// A checkpoint's size is below the latest stored one (checkpoints never go backwards).
    case checkpointGoesBackwards(stored: UInt64, new: UInt64)
    /// A new version of entry bundle `index` holds fewer entries than are stored (entries are
    /// only appended, so a bundle never shrinks); the write was not applied.
    case entryBundleShrinks(index: UInt64, stored: Int, new: Int)
    /// Bytes given as entry bundle `index` are not a C2SP entry bundle (at most 256 entries,
    /// each a big-endian uint16 length and that many bytes); the write was not applied.
    case invalidEntryBundle(index: UInt64, reason: String)
    /// The backend failed; `message` carries its own words (for SQLite, code and text).
    case backend(String)
    /// The stored data contradicts itself; the log must not serve or write until it is fixed.
    case corrupt(String)
    /// This node may not write: another one holds the sequencer lease (PostgreSQL store with
    /// several nodes). Nothing was written; the node must stop sequencing.
    case fenced(String)
    /// A fault injected by a test.
    case injected(String)

    public var description: String {
        switch self {
        case .duplicateIdentity(let identity, let index):
            return "identity \(identity) is already in the log at index \(index)"
        case .checkpointGoesBackwards(let stored, let new):
            return "refusing to store a checkpoint of size \(new) below the stored size \(stored)"
        case .entryBundleShrinks(let index, let stored, let new):
            return "refusing to shrink entry bundle \(index) from \(stored) to \(new) entries: entries "
                + "are only appended, so pass the stored entries followed by the new ones"
        case .invalidEntryBundle(let index, let reason):
            return "refusing to store entry bundle \(index): \(reason)"
        case .backend(let message): return "storage failed: \(message)"
        case .corrupt(let message): return "storage is inconsistent: \(message)"
        case .fenced(let reason): return "not the sequencer: \(reason)"
        case .injected(let point): return "injected fault at \(point)"
        }
    }
}
