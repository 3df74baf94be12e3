/// Signs note texts with one key (C2SP signed-note, spec §2.1).
public protocol NoteSigner: Sendable {
    /// The key name written on the signature line.
    var name: String { get }
    /// The 4-byte key ID written before the signature bytes.
    var keyID: UInt32 { get }
    /// Signs `message`, the note text including its final newline, and returns the raw
    /// signature (without the key ID prefix).
    func sign(message: [UInt8]) throws -> [UInt8]
}
