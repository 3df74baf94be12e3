import VellumMerkle

/// A checkpoint body (C2SP tlog-checkpoint, spec §2.2): the text a log signs for each tree
/// head.
///
/// ```
/// <origin>\n
/// <size, decimal>\n
/// <root hash, standard padded base64>\n
/// [<extension line>\n ...]
/// ```
///
/// Parsing is canonical: ``init(text:)`` accepts exactly the bodies that ``text`` produces.
/// Rekor v1 bodies (origin `<host> - <tree ID>`, a `Timestamp: …` extension line) fit too.
public struct Checkpoint: Sendable, Hashable {
    /// The log's identity, e.g. `example.com/log`. Non-empty; a schemeless URL is usual.
    public let origin: String
    /// The number of entries in the tree.
    public let size: UInt64
    /// The RFC 6962 root hash of the first ``size`` entries.
    public let root: Hash
    /// Opaque extension lines, each non-empty (NOT RECOMMENDED by C2SP; Rekor v1 used them).
    public let extensions: [String]

    /// A checkpoint for the given tree head. The origin and extension lines must be non-empty
    /// and hold no newline or other control character.
    public init(origin: String, size: UInt64, root: Hash, extensions: [String] = []) throws(CheckpointError) {
        guard !origin.isEmpty else { throw .emptyOrigin }
        try Self.checkLine(origin, number: 1)
        for (index, line) in extensions.enumerated() {
            guard !line.isEmpty else { throw .emptyExtension(line: index + 4) }
            try Self.checkLine(line, number: index + 4)
        }
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// Parses a checkpoint body canonically.
    ///
    /// Rejects: no final `\n`; fewer than three lines; an empty origin; a size with a sign,
    /// leading zeros or above 2^64-1; a root that is not canonical padded base64 of exactly
    /// 32 bytes; an empty extension line; control characters.
    public init(text: String) throws(CheckpointError) {
        guard text.utf8.last == 0x0A else { throw .missingFinalNewline }
        let lines = text.utf8.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(Substring($0)) }
        guard lines.count >= 3 else { throw .tooFewLines(got: lines.count) }
        let root = try Self.parseRoot(lines[2])
        try self.init(origin: lines[0], size: Self.parseSize(lines[1]), root: root,
                      extensions: Array(lines[3...]))
    }

    /// The body: origin, size, root and extension lines, each ending in `\n`.
    public var text: String {
        var text = "\(origin)\n\(size)\n\(root.base64)\n"
        for line in extensions { text += line + "\n" }
        return text
    }

    /// Decimal without sign or leading zeros (`0` alone is the empty tree), at most 2^64-1.
    static func parseSize(_ line: String) throws(CheckpointError) -> UInt64 {
        let digits = line.utf8
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              digits.first != UInt8(ascii: "0") || digits.count == 1 else {
            throw .malformedSize(line)
        }
        guard let size = UInt64(line) else { throw .sizeTooLarge(line) }
        return size
    }

    /// Canonical padded base64 of exactly 32 bytes.
    static func parseRoot(_ line: String) throws(CheckpointError) -> Hash {
        guard let bytes = StrictBase64.decode(line) else { throw .rootNotBase64(line) }
        guard let root = Hash(bytes) else { throw .rootWrongLength(got: bytes.count) }
        return root
    }

    private static func checkLine(_ line: String, number: Int) throws(CheckpointError) {
        if line.utf8.contains(where: { $0 < 0x20 }) { throw .controlCharacter(line: number) }
    }
}
