import VellumMerkle

/// A signed checkpoint as the sequencer issued it.
public struct SignedCheckpoint: Hashable, Sendable {
    public var size: UInt64
    public var root: Hash
    /// The signed note: body and one signature line per configured key.
    public var note: String
    /// When it was signed, in milliseconds since the Unix epoch.
    public var signedAt: UInt64

    public init(size: UInt64, root: Hash, note: String, signedAt: UInt64) {
        self.size = size
        self.root = root
        self.note = note
        self.signedAt = signedAt
    }
}

/// What a new entry gets once the batch holding it is durable.
public struct Receipt: Hashable, Sendable {
    /// The entry's index in the log.
    public var index: UInt64
    /// When its batch was integrated, in seconds since the Unix epoch (Rekor's integratedTime).
    public var integratedTime: UInt64
    /// The checkpoint of that batch; it covers the entry.
    public var checkpoint: SignedCheckpoint
    /// The audit path of the entry in `checkpoint`, already verified against its root.
    public var inclusionProof: [Hash]
}

/// The outcome of `Sequencer.submit`.
public enum SubmitOutcome: Hashable, Sendable {
    /// The entry was appended and is durable.
    case added(Receipt)
    /// An entry with the same identity is already in the log, at `index`; nothing was added.
    case duplicate(index: UInt64)
}
