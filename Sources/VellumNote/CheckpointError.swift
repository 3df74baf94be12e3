/// Why a checkpoint body (C2SP tlog-checkpoint, spec §2.2) or a signed checkpoint was refused.
public enum CheckpointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body must end with `\n`.
    case missingFinalNewline
    /// The body needs at least three lines: origin, size, root hash.
    case tooFewLines(got: Int)
    /// The origin line must be non-empty.
    case emptyOrigin
    /// The size must be decimal digits without sign or leading zeros (`0` for the empty tree).
    case malformedSize(String)
    /// The size does not fit in 64 bits.
    case sizeTooLarge(String)
    /// The root must be standard padded base64.
    case rootNotBase64(String)
    /// The root must decode to a 32-byte SHA-256 hash.
    case rootWrongLength(got: Int)
    /// Extension lines (after the root) must be non-empty; `line` is 1-based in the body.
    case emptyExtension(line: Int)
    /// A line holds a control character (or a newline, when building a checkpoint).
    case controlCharacter(line: Int)
    /// The signed note around the body was refused.
    case note(NoteError)

    public var description: String {
        switch self {
        case .missingFinalNewline:
            "checkpoint body must end with \\n"
        case .tooFewLines(let got):
            "checkpoint body has \(got) lines; need origin, size and root hash"
        case .emptyOrigin:
            "checkpoint origin line is empty; set the log's origin"
        case .malformedSize(let text):
            "checkpoint size \"\(text)\" must be decimal digits without sign or leading zeros"
        case .sizeTooLarge(let text):
            "checkpoint size \(text) exceeds 2^64-1"
        case .rootNotBase64(let text):
            "checkpoint root \"\(text)\" must be standard padded base64"
        case .rootWrongLength(let got):
            "checkpoint root is \(got) bytes; want a 32-byte SHA-256 hash"
        case .emptyExtension(let line):
            "checkpoint line \(line) is an empty extension line; extension lines must be non-empty"
        case .controlCharacter(let line):
            "checkpoint line \(line) holds a control character; use printable text and LF line endings"
        case .note(let error):
            "signed checkpoint refused: \(error)"
        }
    }
}
