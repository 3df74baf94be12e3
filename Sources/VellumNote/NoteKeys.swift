/// Reads key strings of any supported type (spec §2.1), like golang.org/x/mod
/// `note.NewVerifier` / `note.NewSigner` but also accepting ECDSA P-256 verifier keys.
public enum NoteKeys {
    /// Parses a verifier key `name+hex8+base64(type || key)`: Ed25519 (`0x01`) or ECDSA
    /// P-256 (`0x02`).
    ///
    /// The string is split on its first two `+` only. The key ID must be 8 lowercase hex
    /// digits and match the key-ID rule of the type; the key must have the right length (or be
    /// a canonical P-256 SPKI).
    public static func verifier(_ verifierKey: String) throws(KeyError) -> any NoteVerifier {
        let fields = try VerifierKeyFields(parsing: verifierKey[...])
        switch NoteSignatureType(rawValue: fields.type) {
        case .ed25519: return try Ed25519NoteVerifier(fields: fields)
        case .ecdsa: return try ECDSANoteVerifier(fields: fields)
        case nil: throw .unsupportedType(fields.type)
        }
    }

    /// Parses a signer key `PRIVATE+KEY+name+hex8+base64(0x01 || seed)`. Only Ed25519 has a
    /// signer-key string; ECDSA keys come from PEM (``NotePrivateKey``).
    public static func signer(_ signerKey: String) throws(KeyError) -> any NoteSigner {
        try Ed25519NoteSigner(signerKey: signerKey)
    }
}
