import VellumNote

/// How the sequencer batches, signs and pushes back.
public struct SequencerConfiguration: Sendable {
    /// The checkpoint origin line (for Rekor v1: `<hostname> - <treeID>`).
    public var origin: String
    /// Every key that signs each checkpoint (Ed25519 for tlog-tiles, ECDSA P-256 for Rekor v1).
    public var signers: [any NoteSigner]
    /// A batch closes when it holds this many entries…
    public var maxBatchSize: Int = 1024
    /// …or when its oldest entry has waited this long.
    public var maxBatchAge: Duration = .milliseconds(2)
    /// Entries waiting for a batch (not counting the one being written) beyond which `submit`
    /// fails at once with `SequencerError.poolFull` (the API answers 503 + Retry-After).
    public var maxPoolSize: Int = 100_000
    /// The largest entry accepted; C2SP entry bundles cap entries at 65,535 bytes.
    public var maxEntrySize: Int = 65_535
    /// Milliseconds since the Unix epoch; replaceable in tests.
    public var clock: @Sendable () -> UInt64 = {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1000 + UInt64(time.tv_nsec) / 1_000_000
    }

    /// Called on the sequencer after each committed batch (metrics); must return quickly.
    public var onBatchCommitted: (@Sendable (BatchReport) -> Void)?

    public init(origin: String, signers: [any NoteSigner]) {
        self.origin = origin
        self.signers = signers
    }
}

/// What one committed batch did, for metrics.
public struct BatchReport: Sendable {
    public var entries: Int
    /// The tree size after the batch.
    public var treeSize: UInt64 { checkpoint.size }
    /// The batch's checkpoint (durable).
    public var checkpoint: SignedCheckpoint
    /// From handing the batch to the writer to having its result back (integrate, sign, commit).
    public var duration: Duration

    public init(entries: Int, checkpoint: SignedCheckpoint, duration: Duration) {
        self.entries = entries
        self.checkpoint = checkpoint
        self.duration = duration
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
