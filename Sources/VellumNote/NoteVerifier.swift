/// Checks signatures by one key over note texts (C2SP signed-note, spec §2.1).
///
/// A note's signature line is matched to a verifier on both ``name`` and ``keyID``; lines from
/// other keys are ignored.
public protocol NoteVerifier: Sendable {
    /// The key name, as it appears on signature lines.
    var name: String { get }
    /// The 4-byte key ID, as it appears at the start of the signature bytes.
    var keyID: UInt32 { get }
    /// True when `signature` (without the key ID prefix) is valid over `message`, the note
    /// text including its final newline.
    func verify(message: [UInt8], signature: [UInt8]) -> Bool
}
