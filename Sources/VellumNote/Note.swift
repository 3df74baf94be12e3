/// A signed note (C2SP signed-note v1.0.0, spec §2.1): a text followed by a blank line and
/// one or more signature lines.
///
/// ```
/// example.com/log          ← text: lines ending in \n (the signed bytes)
/// 1000
/// L/M/udjxT4nKMGKJYzM2oWj/P0Uy6PdBoAGdy0wdYKE=
///                          ← blank line (not signed)
/// — example.com/log HKGRDZ…g8=
/// ```
///
/// A `Note` is only syntax: build one with `init(parsing:)` and it has *not* been
/// verified. Use `Note.open(_:verifiers:)` to parse and verify in one step.
public struct Note: Sendable, Hashable {
    /// golang.org/x/mod reads at most this many signature lines; a note with more is malformed.
    /// (C2SP requires accepting at least 16 and allows a cap.)
    public static let maxSignatures = 100

    /// The signed text, ending in `\n`.
    public let text: String
    /// The signature lines, in order, including lines by unknown keys and repeats.
    public let signatures: [NoteSignature]

    /// Builds a note from its parts, checking the rules its ``message`` must satisfy to be
    /// read back: the text is non-empty UTF-8 ending in `\n` without other control
    /// characters; there are 1...``maxSignatures`` signatures with valid key names.
    public init(text: String, signatures: [NoteSignature]) throws(NoteError) {
        try Self.checkText(text)
        guard !signatures.isEmpty else { throw .malformed(.noSignatures) }
        guard signatures.count <= Self.maxSignatures else {
            throw .malformed(.tooManySignatures(max: Self.maxSignatures))
        }
        for (index, signature) in signatures.enumerated() {
            guard KeyName.isValid(signature.name) else { throw .malformed(.invalidKeyName(signature.name)) }
            guard !signature.signature.isEmpty else {
                throw .malformed(.signatureTooShort(line: index + 1, got: 4))
            }
        }
        self.text = text
        self.signatures = signatures
    }

    /// Used by the parser, which has already checked every rule.
    init(checkedText text: String, signatures: [NoteSignature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The note as transmitted: text, blank line, signature lines.
    public var message: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// The text must be non-empty, end in `\n` and hold no control character but `\n`.
    static func checkText(_ text: String) throws(NoteError) {
        guard text.utf8.last == 0x0A else { throw .malformed(.textMissingFinalNewline) }
        if let offset = firstControlCharacter(in: text.utf8) {
            throw .malformed(.controlCharacter(offset: offset))
        }
    }

    /// The byte offset of the first byte below 0x20 other than `\n`.
    ///
    /// Like golang.org/x/mod this covers the ASCII C0 range only; DEL and C1 controls are let
    /// through. In UTF-8 every byte below 0x80 is a whole character, so scanning bytes is exact.
    static func firstControlCharacter(in bytes: some Collection<UInt8>) -> Int? {
        var offset = 0
        for byte in bytes {
            if byte < 0x20 && byte != 0x0A { return offset }
            offset += 1
        }
        return nil
    }
}
