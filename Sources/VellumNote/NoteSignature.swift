/// One signature line of a signed note: `— <name> <base64(keyID || signature)>\n`
/// (C2SP signed-note, spec §2.1).
public struct NoteSignature: Sendable, Hashable, CustomStringConvertible {
    /// The key name, e.g. `example.com/log`. Non-empty, without spaces or `+`.
    public let name: String
    /// The 4-byte key ID (big-endian), which together with ``name`` selects the verifier.
    public let keyID: UInt32
    /// The signature proper, without the key ID prefix.
    public let signature: [UInt8]

    /// Creates a signature line from its parts; the name is checked when a ``Note`` is built.
    public init(name: String, keyID: UInt32, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// `keyID || signature`, the bytes carried (base64) on the line.
    public var payload: [UInt8] {
        withUnsafeBytes(of: keyID.bigEndian) { Array($0) } + signature
    }

    /// The full line, including the EM DASH prefix and the final newline.
    public var line: String {
        "\u{2014} \(name) \(StrictBase64.encode(payload))\n"
    }

    /// `name+keyID` in the form used by verifier keys, e.g. `PeterNeumann+c74f20a3`.
    public var description: String {
        "\(name)+\(NoteKeyID.hex(keyID))"
    }
}
