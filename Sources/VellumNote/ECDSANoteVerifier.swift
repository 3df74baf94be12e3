import Crypto

/// Verifies ECDSA P-256 note signatures (signature type `0x02`, spec §2.1 and §6): ASN.1 DER
/// signatures over SHA-256 of the note text, as Rekor v1 checkpoints carry.
///
/// Its key ID is `SHA-256(DER SubjectPublicKeyInfo)[:4]`; the name is not part of it.
public struct ECDSANoteVerifier: NoteVerifier {
    public let name: String
    public let keyID: UInt32
    /// The P-256 public key.
    public let publicKey: P256.Signing.PublicKey

    /// A verifier for `publicKey` under `name`.
    public init(name: String, publicKey: P256.Signing.PublicKey) throws(KeyError) {
        guard KeyName.isValid(name) else { throw .invalidName(name) }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteKeyID.ecdsa(spki: publicKey.derRepresentation)
    }

    /// Parses a verifier key `name+hex8+base64(0x02 || DER SPKI)`. The SPKI must be the
    /// canonical uncompressed P-256 encoding and the key ID must match it.
    public init(verifierKey: String) throws(KeyError) {
        try self.init(fields: VerifierKeyFields(parsing: verifierKey[...]))
    }

    init(fields: VerifierKeyFields) throws(KeyError) {
        guard fields.type == NoteSignatureType.ecdsa.rawValue else {
            throw .unsupportedType(fields.type)
        }
        try self.init(name: fields.name, publicKey: Self.publicKey(spki: fields.key))
        guard keyID == fields.keyID else { throw .keyIDMismatch(got: fields.keyID, want: keyID) }
    }

    /// Reads a P-256 key from DER SPKI, accepting only the canonical encoding (which also
    /// pins the algorithm and curve OIDs, since swift-crypto does not check them).
    static func publicKey(spki: [UInt8]) throws(KeyError) -> P256.Signing.PublicKey {
        let key: P256.Signing.PublicKey
        do {
            key = try P256.Signing.PublicKey(derRepresentation: spki)
        } catch {
            throw .invalidKey("not a DER SubjectPublicKeyInfo of a P-256 key")
        }
        guard Array(key.derRepresentation) == spki else {
            throw .invalidKey("not the canonical DER SubjectPublicKeyInfo of an uncompressed P-256 key")
        }
        return key
    }

    /// The DER SubjectPublicKeyInfo of the key.
    public var spki: [UInt8] { Array(publicKey.derRepresentation) }

    /// The verifier key string, `name+hex8+base64(0x02 || DER SPKI)`.
    public var verifierKey: String {
        VerifierKeyFields.format(name: name, keyID: keyID, type: .ecdsa, key: spki)
    }

    public func verify(message: [UInt8], signature: [UInt8]) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else {
            return false
        }
        return publicKey.isValidSignature(parsed, for: message)
    }
}
