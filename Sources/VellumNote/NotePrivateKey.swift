import Crypto

/// A log's private key as kept in a PEM file: Ed25519 or ECDSA P-256.
///
/// Reads Ed25519 PKCS#8 (`PRIVATE KEY`), P-256 PKCS#8 (`PRIVATE KEY`) and P-256 SEC 1
/// (`EC PRIVATE KEY`); writes PKCS#8 for both, and SEC 1 for P-256 on request.
public enum NotePrivateKey: Sendable {
    /// An Ed25519 key: signs with note signature type `0x01`.
    case ed25519(Curve25519.Signing.PrivateKey)
    /// A P-256 key: signs with note signature type `0x02` (ECDSA, Rekor v1 checkpoints).
    case p256(P256.Signing.PrivateKey)

    /// Loads a private key from PEM.
    ///
    /// Ed25519 must be the one RFC 8410 PKCS#8 v1 layout. P-256 keys are decoded by
    /// swift-crypto and must name the P-256 curve (swift-crypto does not check the OID).
    public init(pem: String) throws(KeyError) {
        let block = try PEMBlock(parsing: pem)
        switch block.label {
        case "PRIVATE KEY":
            if let seed = KeyDER.key(in: block.der, after: KeyDER.ed25519PrivateKeyPrefix) {
                do {
                    self = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
                } catch {
                    throw .invalidKey("not an Ed25519 seed")
                }
                return
            }
            self = .p256(try Self.p256(block))
        case "EC PRIVATE KEY":
            self = .p256(try Self.p256(block))
        default:
            throw .unsupportedPEMLabel(block.label)
        }
    }

    /// swift-crypto reads the block by its label (PKCS#8 or SEC 1); it is given the block
    /// re-encoded, so its PEM reader only ever sees the canonical form.
    private static func p256(_ block: PEMBlock) throws(KeyError) -> P256.Signing.PrivateKey {
        guard KeyDER.contains(block.der, KeyDER.p256CurveOID) else {
            throw .unsupportedKeyEncoding("the key is neither Ed25519 (RFC 8410 PKCS#8) nor names the P-256 curve")
        }
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: block.text)
        } catch {
            throw .unsupportedKeyEncoding("not a P-256 PKCS#8 or SEC 1 private key")
        }
    }

    /// A new random Ed25519 key.
    public static func generateEd25519() -> NotePrivateKey {
        .ed25519(Curve25519.Signing.PrivateKey())
    }

    /// A new random P-256 key.
    public static func generateP256() -> NotePrivateKey {
        .p256(P256.Signing.PrivateKey())
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    public var pkcs8PEM: String {
        switch self {
        case .ed25519(let key):
            PEMBlock(label: "PRIVATE KEY", der: KeyDER.ed25519PrivateKeyPrefix + key.rawRepresentation).text
        case .p256(let key):
            PEMBlock(label: "PRIVATE KEY", der: Array(key.derRepresentation)).text
        }
    }

    /// A P-256 key as SEC 1 PEM (`-----BEGIN EC PRIVATE KEY-----`); `nil` for Ed25519.
    public var sec1PEM: String? {
        guard case .p256(let key) = self else { return nil }
        let der = KeyDER.sec1(privateScalar: Array(key.rawRepresentation),
                              publicX963: Array(key.publicKey.x963Representation))
        return PEMBlock(label: "EC PRIVATE KEY", der: der).text
    }

    /// The public half.
    public var publicKey: NotePublicKey {
        switch self {
        case .ed25519(let key): .ed25519(key.publicKey)
        case .p256(let key): .p256(key.publicKey)
        }
    }

    /// A note signer for this key under `name` (Ed25519 type `0x01` or ECDSA type `0x02`).
    public func signer(name: String) throws(KeyError) -> any NoteSigner {
        switch self {
        case .ed25519(let key): try Ed25519NoteSigner(name: name, privateKey: key)
        case .p256(let key): try ECDSANoteSigner(name: name, privateKey: key)
        }
    }
}
