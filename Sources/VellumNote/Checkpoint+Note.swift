extension Checkpoint {
    /// Opens a signed checkpoint: verifies the note with `Note.open(_:verifiers:)` semantics,
    /// then parses its text as a checkpoint body (spec §2.1, §2.2).
    ///
    /// The key name need not equal the origin: Rekor v1 signs `rekor.sigstore.dev - <tree ID>`
    /// with the key `rekor.sigstore.dev` (spec §6). Callers that require a match check
    /// `checkpoint.origin` against what they expect.
    public static func open(_ message: String, verifiers: [any NoteVerifier]) throws(CheckpointError) -> VerifiedCheckpoint {
        try parse { () throws(NoteError) in try Note.open(message, verifiers: verifiers) }
    }

    /// Opens a signed checkpoint given as bytes; see `open(_:verifiers:)`.
    public static func open(_ message: some Collection<UInt8>, verifiers: [any NoteVerifier]) throws(CheckpointError) -> VerifiedCheckpoint {
        try parse { () throws(NoteError) in try Note.open(message, verifiers: verifiers) }
    }

    /// Parses the body of a note that `open` has verified.
    private static func parse(_ open: () throws(NoteError) -> VerifiedNote) throws(CheckpointError) -> VerifiedCheckpoint {
        let note: VerifiedNote
        do {
            note = try open()
        } catch {
            throw .note(error)
        }
        return VerifiedCheckpoint(checkpoint: try Checkpoint(text: note.text), note: note)
    }

    /// Signs this checkpoint's body with each signer and returns the signed note, e.g. an
    /// Ed25519 line for tlog-tiles clients and an ECDSA line for Rekor v1 (spec §6).
    public func sign(signers: [any NoteSigner]) throws(NoteError) -> String {
        try Note.sign(text: text, signers: signers)
    }
}
