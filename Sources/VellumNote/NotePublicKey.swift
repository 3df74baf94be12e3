import Crypto

/// A log's public key: Ed25519 or ECDSA P-256. Reads and writes SPKI PEM
/// (`-----BEGIN PUBLIC KEY-----`).
public enum NotePublicKey: Sendable, Hashable {
    /// An Ed25519 key (note signature type `0x01`).
    case ed25519(Curve25519.Signing.PublicKey)
    /// A P-256 key (note signature type `0x02`).
    case p256(P256.Signing.PublicKey)

    /// Loads a public key from SPKI PEM. Ed25519 must be the RFC 8410 layout; P-256 must be
    /// the canonical uncompressed encoding.
    public init(pem: String) throws(KeyError) {
        let block = try PEMBlock(parsing: pem)
        guard block.label == "PUBLIC KEY" else { throw .unsupportedPEMLabel(block.label) }
        try self.init(spki: block.der)
    }

    /// Reads a DER SubjectPublicKeyInfo of an Ed25519 or P-256 key.
    public init(spki: [UInt8]) throws(KeyError) {
        if let raw = KeyDER.key(in: spki, after: KeyDER.ed25519PublicKeyPrefix) {
            do {
                self = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: raw))
            } catch {
                throw .invalidKey("not an Ed25519 public key")
            }
            return
        }
        do {
            self = .p256(try ECDSANoteVerifier.publicKey(spki: spki))
        } catch {
            throw .unsupportedKeyEncoding("the SubjectPublicKeyInfo is neither Ed25519 nor canonical P-256")
        }
    }

    /// The DER SubjectPublicKeyInfo. Rekor v1 derives its log ID and checkpoint key ID from
    /// SHA-256 of these bytes.
    public var spki: [UInt8] {
        switch self {
        case .ed25519(let key): KeyDER.ed25519PublicKeyPrefix + key.rawRepresentation
        case .p256(let key): Array(key.derRepresentation)
        }
    }

    /// The key as SPKI PEM.
    public var pem: String {
        PEMBlock(label: "PUBLIC KEY", der: spki).text
    }

    /// A note verifier for this key under `name`.
    public func verifier(name: String) throws(KeyError) -> any NoteVerifier {
        switch self {
        case .ed25519(let key): try Ed25519NoteVerifier(name: name, publicKey: key)
        case .p256(let key): try ECDSANoteVerifier(name: name, publicKey: key)
        }
    }

    /// Keys are equal when their SubjectPublicKeyInfo encodings are.
    public static func == (lhs: NotePublicKey, rhs: NotePublicKey) -> Bool {
        lhs.spki == rhs.spki
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(spki)
    }
}
