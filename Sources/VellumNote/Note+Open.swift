extension Note {
    /// Parses and verifies a signed note with golang.org/x/mod `note.Open` semantics
    /// (C2SP signed-note, spec §2.1).
    ///
    /// - A line is from a known key when a verifier has the same name *and* key ID; other
    ///   lines are ignored and reported in ``VerifiedNote/unverified`` (identical repeats
    ///   once).
    /// - A known key's first line must verify, or the whole note is rejected with
    ///   ``NoteError/invalidSignature(name:keyID:)``. Later lines by the same key are skipped
    ///   unchecked, as x/mod does (so a corrupt repeat after a good line is accepted).
    /// - A line whose key matches two verifiers throws ``NoteError/ambiguousKey(name:keyID:)``.
    /// - With no verified line the note is rejected with
    ///   ``NoteError/noVerifiableSignature(unverified:)``.
    ///
    /// Syntax is checked first: a malformed note is reported as malformed even when an earlier
    /// line would fail verification (x/mod reports whichever line it meets first).
    public static func open(_ message: String, verifiers: [any NoteVerifier]) throws(NoteError) -> VerifiedNote {
        try Note(parsing: message).verify(with: verifiers)
    }

    /// Parses and verifies a signed note given as bytes; see `open(_:verifiers:)`.
    public static func open(_ message: some Collection<UInt8>, verifiers: [any NoteVerifier]) throws(NoteError) -> VerifiedNote {
        try Note(parsing: message).verify(with: verifiers)
    }

    /// Verifies this note's signatures against `verifiers`, with the rules of
    /// `open(_:verifiers:)`.
    public func verify(with verifiers: [any NoteVerifier]) throws(NoteError) -> VerifiedNote {
        var known: [KeyReference: [any NoteVerifier]] = [:]
        for verifier in verifiers {
            known[KeyReference(name: verifier.name, keyID: verifier.keyID), default: []].append(verifier)
        }
        let message = Array(text.utf8)
        var verified: [NoteSignature] = []
        var unverified: [NoteSignature] = []
        var seenKeys: Set<KeyReference> = []
        var seenUnknown: Set<NoteSignature> = []
        for signature in signatures {
            let key = KeyReference(name: signature.name, keyID: signature.keyID)
            guard let candidates = known[key] else {
                if seenUnknown.insert(signature).inserted { unverified.append(signature) }
                continue
            }
            guard candidates.count == 1 else {
                throw .ambiguousKey(name: signature.name, keyID: signature.keyID)
            }
            guard seenKeys.insert(key).inserted else { continue }
            guard candidates[0].verify(message: message, signature: signature.signature) else {
                throw .invalidSignature(name: signature.name, keyID: signature.keyID)
            }
            verified.append(signature)
        }
        guard !verified.isEmpty else { throw .noVerifiableSignature(unverified: unverified) }
        return VerifiedNote(text: text, verified: verified, unverified: unverified)
    }
}

/// A key as signature lines name it: (name, key ID).
struct KeyReference: Hashable {
    let name: String
    let keyID: UInt32
}
