/// Why a signed note was refused (C2SP signed-note, spec §2.1), following the outcomes of
/// golang.org/x/mod `note.Open`: malformed, invalid signature, no verifiable signature,
/// ambiguous key.
public enum NoteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message breaks the note syntax; nothing in it can be trusted.
    case malformed(Malformation)
    /// A signature line from a known key (matched on name and key ID) does not verify over
    /// the text. The whole note is rejected, even if other signatures verify.
    case invalidSignature(name: String, keyID: UInt32)
    /// No signature line comes from a known key. `unverified` lists the lines that were
    /// skipped, without repeats, so the caller can say which keys signed.
    case noVerifiableSignature(unverified: [NoteSignature])
    /// Two of the supplied verifiers share this name and key ID, and the note has a line from
    /// that key, so it is unclear which one to use.
    case ambiguousKey(name: String, keyID: UInt32)
    /// A signer failed to produce a signature.
    case signingFailed(name: String, reason: String)

    /// The syntax rule a malformed note breaks.
    public enum Malformation: Sendable, Hashable, CustomStringConvertible {
        /// The message is not valid UTF-8.
        case invalidUTF8
        /// A control character other than `\n` at this byte offset (CR counts: use LF only).
        case controlCharacter(offset: Int)
        /// No blank line separates the text from the signature lines.
        case missingSignatureBlock
        /// The text is empty or does not end in `\n`.
        case textMissingFinalNewline
        /// The last signature line does not end in `\n`.
        case missingFinalNewline
        /// Signature line `line` (1-based) does not start with EM DASH U+2014 and a space.
        case missingSignaturePrefix(line: Int)
        /// The key name on a signature line (or of a signer) is empty or has a space or `+`.
        case invalidKeyName(String)
        /// Signature line `line` carries no canonical padded base64.
        case invalidSignatureBase64(line: Int)
        /// Signature line `line` carries fewer than 5 bytes (4-byte key ID and a signature).
        case signatureTooShort(line: Int, got: Int)
        /// More signature lines than a verifier reads (golang.org/x/mod stops at 100).
        case tooManySignatures(max: Int)
        /// No signature line follows the last blank line (a note needs at least one).
        case noSignatures

        public var description: String {
            switch self {
            case .invalidUTF8:
                "the note is not valid UTF-8"
            case .controlCharacter(let offset):
                "control character at byte \(offset); a note may contain no control characters other than \\n (use LF line endings)"
            case .missingSignatureBlock:
                "no blank line before the signature lines; end the text with \\n, then a blank line, then the signatures"
            case .textMissingFinalNewline:
                "the note text must be non-empty and end with \\n"
            case .missingFinalNewline:
                "the last signature line must end with \\n"
            case .missingSignaturePrefix(let line):
                "signature line \(line) must start with an EM DASH (U+2014) and a space"
            case .invalidKeyName(let name):
                "key name \"\(name)\" is invalid: it must be non-empty, without spaces or '+'"
            case .invalidSignatureBase64(let line):
                "signature line \(line) must end with a space and canonical padded base64"
            case .signatureTooShort(let line, let got):
                "signature line \(line) carries \(got) bytes; need a 4-byte key ID and a signature"
            case .tooManySignatures(let max):
                "more than \(max) signature lines; drop the extra cosignatures"
            case .noSignatures:
                "no signature lines after the last blank line; a signed note needs at least one"
            }
        }
    }

    public var description: String {
        switch self {
        case .malformed(let reason):
            "malformed note: \(reason)"
        case .invalidSignature(let name, let keyID):
            "invalid signature by known key \(name)+\(NoteKeyID.hex(keyID)): the note was altered or signed by another key"
        case .noVerifiableSignature(let unverified):
            unverified.isEmpty
                ? "note has no verifiable signatures"
                : "note has no verifiable signatures; it is signed by unknown keys "
                    + unverified.map(\.description).joined(separator: ", ")
                    + ": check the verifier key"
        case .ambiguousKey(let name, let keyID):
            "ambiguous key \(name)+\(NoteKeyID.hex(keyID)): two verifiers share this name and key ID; remove one"
        case .signingFailed(let name, let reason):
            "signer \(name) failed: \(reason)"
        }
    }
}
