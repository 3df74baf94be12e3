/// A checkpoint read from a signed note whose signatures were verified.
public struct VerifiedCheckpoint: Sendable, Hashable {
    /// The parsed body.
    public let checkpoint: Checkpoint
    /// The verified note around it: which keys signed, and which lines were from unknown keys.
    public let note: VerifiedNote

    /// Wraps a parsed body and its verified note; `Checkpoint.open(_:verifiers:)` is the usual
    /// source.
    public init(checkpoint: Checkpoint, note: VerifiedNote) {
        self.checkpoint = checkpoint
        self.note = note
    }
}
