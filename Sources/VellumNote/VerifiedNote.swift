/// A note whose signatures were checked by `Note.open(_:verifiers:)`.
public struct VerifiedNote: Sendable, Hashable {
    /// The signed text, ending in `\n`. Trust it only as far as you trust ``verified``.
    public let text: String
    /// Signatures by known keys that verified, one per key (repeats by the same key skipped).
    public let verified: [NoteSignature]
    /// Signatures by keys the caller did not supply, without identical repeats. They were not
    /// checked: C2SP verifiers must ignore unknown keys (cosigners, rotated keys).
    public let unverified: [NoteSignature]

    /// Wraps the outcome of a verification; `Note.open(_:verifiers:)` is the usual source.
    public init(text: String, verified: [NoteSignature], unverified: [NoteSignature]) {
        self.text = text
        self.verified = verified
        self.unverified = unverified
    }
}
