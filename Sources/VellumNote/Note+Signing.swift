extension Note {
    /// Signs `text` with each signer in turn and returns the note message: the text, a blank
    /// line, then one signature line per signer in the given order (spec §2.1).
    ///
    /// The text must be non-empty, end in `\n` and contain no control character but `\n`.
    public static func sign(text: String, signers: [any NoteSigner]) throws(NoteError) -> String {
        try Note.signing(text: text, signers: signers).message
    }

    /// Signs `text` and returns the note; see `sign(text:signers:)`.
    public static func signing(text: String, signers: [any NoteSigner]) throws(NoteError) -> Note {
        try checkText(text)
        return try Note(text: text, signatures: signatures(over: text, by: signers))
    }

    /// This note with signatures by `signers` added after the existing ones. An existing
    /// signature by the same key (name and key ID) as a signer is dropped, so re-signing
    /// replaces it (golang.org/x/mod `note.Sign`).
    public func adding(signers: [any NoteSigner]) throws(NoteError) -> Note {
        let replaced = Set(signers.map { KeyReference(name: $0.name, keyID: $0.keyID) })
        let kept = signatures.filter { !replaced.contains(KeyReference(name: $0.name, keyID: $0.keyID)) }
        return try Note(text: text, signatures: kept + Self.signatures(over: text, by: signers))
    }

    private static func signatures(over text: String, by signers: [any NoteSigner]) throws(NoteError) -> [NoteSignature] {
        let message = Array(text.utf8)
        var result: [NoteSignature] = []
        for signer in signers {
            guard KeyName.isValid(signer.name) else { throw .malformed(.invalidKeyName(signer.name)) }
            let signature: [UInt8]
            do {
                signature = try signer.sign(message: message)
            } catch {
                throw .signingFailed(name: signer.name, reason: String(describing: error))
            }
            result.append(NoteSignature(name: signer.name, keyID: signer.keyID, signature: signature))
        }
        return result
    }
}
