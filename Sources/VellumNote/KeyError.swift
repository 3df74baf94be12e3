/// Why a key string (verifier or signer key, spec §2.1) or a PEM key could not be used.
public enum KeyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A verifier key must be `name+hex8+base64(type||key)`; a signer key
    /// `PRIVATE+KEY+name+hex8+base64(type||seed)`.
    case wrongFieldCount
    /// A signer key must start with `PRIVATE+KEY+`.
    case missingPrivateKeyPrefix
    /// The key name is empty or has a space, `+` or control character.
    case invalidName(String)
    /// The key ID must be exactly 8 lowercase hex digits.
    case invalidKeyIDHex(String)
    /// The key material must be non-empty canonical padded base64.
    case invalidBase64
    /// The signature-type byte is not one Vellum supports here.
    case unsupportedType(UInt8)
    /// The key material after the type byte has the wrong length.
    case wrongKeyLength(got: Int, want: Int)
    /// The key bytes are not a valid key of the stated type (e.g. not a canonical P-256 SPKI).
    case invalidKey(String)
    /// The key ID in the string is not the one the key-ID rule gives for this name and key.
    case keyIDMismatch(got: UInt32, want: UInt32)
    /// The PEM text is not a single well-formed PEM block.
    case malformedPEM(String)
    /// The PEM block has a label this loader does not accept here.
    case unsupportedPEMLabel(String)
    /// The DER inside the PEM is not an encoding this loader accepts.
    case unsupportedKeyEncoding(String)

    public var description: String {
        switch self {
        case .wrongFieldCount:
            "malformed key string: expected name+keyid+base64 (verifier) or PRIVATE+KEY+name+keyid+base64 (signer)"
        case .missingPrivateKeyPrefix:
            "a signer key must start with PRIVATE+KEY+"
        case .invalidName(let name):
            "invalid key name \"\(name)\": use a non-empty name without spaces or '+'"
        case .invalidKeyIDHex(let text):
            "invalid key ID \"\(text)\": use exactly 8 lowercase hex digits"
        case .invalidBase64:
            "key material must be non-empty standard padded base64"
        case .unsupportedType(let type):
            "unsupported signature type 0x\(String(type, radix: 16)); supported: 0x01 Ed25519, 0x02 ECDSA P-256"
        case .wrongKeyLength(let got, let want):
            "key is \(got) bytes; want \(want)"
        case .invalidKey(let reason):
            "invalid key: \(reason)"
        case .keyIDMismatch(let got, let want):
            "key ID \(NoteKeyID.hex(got)) does not match the key (want \(NoteKeyID.hex(want))); the name, key ID or key was altered"
        case .malformedPEM(let reason):
            "malformed PEM: \(reason)"
        case .unsupportedPEMLabel(let label):
            "unsupported PEM block \"\(label)\"; use PRIVATE KEY, EC PRIVATE KEY or PUBLIC KEY"
        case .unsupportedKeyEncoding(let reason):
            "unsupported key encoding: \(reason); use an Ed25519 or P-256 key"
        }
    }
}
