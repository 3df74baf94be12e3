extension Note {
    /// The UTF-8 bytes of `— ` (EM DASH U+2014, then a space) that start a signature line.
    static let signaturePrefix: [UInt8] = [0xE2, 0x80, 0x94, 0x20]

    /// Parses a signed note without verifying it (C2SP signed-note, spec §2.1).
    ///
    /// The rules are those of golang.org/x/mod `note.Open`: valid UTF-8 with no control
    /// character but `\n`; the *last* blank line splits text from signatures; every signature
    /// line is `— <name> <base64(keyID || sig)>\n` with a valid key name, at least 5 decoded
    /// bytes and at most ``maxSignatures`` lines. Stricter than x/mod, the base64 must be
    /// canonical so that ``message`` gives back the input byte for byte.
    public init(parsing message: String) throws(NoteError) {
        try self.init(bytes: Array(message.utf8))
    }

    /// Parses a signed note from its bytes; see `init(parsing:)`.
    public init(parsing message: some Collection<UInt8>) throws(NoteError) {
        try self.init(bytes: Array(message))
    }

    private init(bytes: [UInt8]) throws(NoteError) {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .malformed(.invalidUTF8) }
        if let offset = Self.firstControlCharacter(in: bytes) {
            throw .malformed(.controlCharacter(offset: offset))
        }
        guard let split = Self.lastBlankLine(in: bytes) else { throw .malformed(.missingSignatureBlock) }
        let text = bytes[...split]
        let block = bytes[(split + 2)...]
        guard !block.isEmpty else { throw .malformed(.noSignatures) }
        guard block.last == 0x0A else { throw .malformed(.missingFinalNewline) }

        let lines = block.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count <= Self.maxSignatures else {
            throw .malformed(.tooManySignatures(max: Self.maxSignatures))
        }
        var signatures: [NoteSignature] = []
        signatures.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            signatures.append(try Self.parseSignatureLine(line, number: index + 1))
        }
        self.init(checkedText: String(decoding: text, as: UTF8.self), signatures: signatures)
    }

    /// The index of the first `\n` of the last `\n\n` pair, which ends the text.
    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2 else { return nil }
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A { return index }
            index -= 1
        }
        return nil
    }

    /// Parses `— <name> <base64>` (without its `\n`); `number` is 1-based, for errors.
    private static func parseSignatureLine(_ line: ArraySlice<UInt8>, number: Int) throws(NoteError) -> NoteSignature {
        guard line.starts(with: signaturePrefix) else {
            throw .malformed(.missingSignaturePrefix(line: number))
        }
        let rest = line.dropFirst(signaturePrefix.count)
        let space = rest.firstIndex(of: 0x20) ?? rest.endIndex
        let name = String(decoding: rest[..<space], as: UTF8.self)
        let encoded = space < rest.endIndex ? rest[(space + 1)...] : []
        guard KeyName.isValid(name) else { throw .malformed(.invalidKeyName(name)) }
        guard !encoded.isEmpty,
              let payload = StrictBase64.decode(String(decoding: encoded, as: UTF8.self)) else {
            throw .malformed(.invalidSignatureBase64(line: number))
        }
        guard payload.count >= 5 else {
            throw .malformed(.signatureTooShort(line: number, got: payload.count))
        }
        let keyID = payload.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return NoteSignature(name: name, keyID: keyID, signature: Array(payload.dropFirst(4)))
    }
}
