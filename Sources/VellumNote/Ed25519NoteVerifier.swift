import Crypto

/// Verifies Ed25519 note signatures (signature type `0x01`, spec §2.1).
///
/// Its key ID is `SHA-256(name || 0x0A || 0x01 || public key)[:4]`.
public struct Ed25519NoteVerifier: NoteVerifier {
    public let name: String
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: Curve25519.Signing.PublicKey

    /// A verifier for `publicKey` under `name`; the key ID follows from the two.
    public init(name: String, publicKey: Curve25519.Signing.PublicKey) throws(KeyError) {
        guard KeyName.isValid(name) else { throw .invalidName(name) }
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteKeyID.ed25519(name: name, publicKey: publicKey.rawRepresentation)
    }

    /// Parses a verifier key `name+hex8+base64(0x01 || 32-byte key)`. The key ID must be
    /// lowercase hex and match the key-ID rule.
    public init(verifierKey: String) throws(KeyError) {
        try self.init(fields: VerifierKeyFields(parsing: verifierKey[...]))
    }

    init(fields: VerifierKeyFields) throws(KeyError) {
        guard fields.type == NoteSignatureType.ed25519.rawValue else {
            throw .unsupportedType(fields.type)
        }
        guard fields.key.count == 32 else { throw .wrongKeyLength(got: fields.key.count, want: 32) }
        let publicKey: Curve25519.Signing.PublicKey
        do {
            publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: fields.key)
        } catch {
            throw .invalidKey("not an Ed25519 public key")
        }
        try self.init(name: fields.name, publicKey: publicKey)
        guard keyID == fields.keyID else { throw .keyIDMismatch(got: fields.keyID, want: keyID) }
    }

    /// The verifier key string, `name+hex8+base64(0x01 || public key)`.
    public var verifierKey: String {
        VerifierKeyFields.format(name: name, keyID: keyID, type: .ed25519, key: publicKey.rawRepresentation)
    }

    public func verify(message: [UInt8], signature: [UInt8]) -> Bool {
        signature.count == 64 && publicKey.isValidSignature(signature, for: message)
    }
}
