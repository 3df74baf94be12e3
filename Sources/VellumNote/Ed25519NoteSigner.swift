import Crypto

/// Signs notes with Ed25519 (signature type `0x01`, spec §2.1). Signatures are deterministic
/// (RFC 8032) with swift-crypto's BoringSSL backend on Linux.
public struct Ed25519NoteSigner: NoteSigner {
    public let name: String
    public let keyID: UInt32
    /// The Ed25519 private key.
    public let privateKey: Curve25519.Signing.PrivateKey

    /// A signer for `privateKey` under `name`; the key ID follows from the name and public key.
    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) throws(KeyError) {
        guard KeyName.isValid(name) else { throw .invalidName(name) }
        self.name = name
        self.privateKey = privateKey
        self.keyID = NoteKeyID.ed25519(name: name, publicKey: privateKey.publicKey.rawRepresentation)
    }

    /// Parses a signer key `PRIVATE+KEY+name+hex8+base64(0x01 || 32-byte seed)`
    /// (golang.org/x/mod `note.NewSigner`). The key ID must be lowercase hex and match the key.
    public init(signerKey: String) throws(KeyError) {
        let prefix = "PRIVATE+KEY+"
        guard signerKey.hasPrefix(prefix) else {
            throw signerKey.contains("+") ? .missingPrivateKeyPrefix : .wrongFieldCount
        }
        let fields = try VerifierKeyFields(parsing: signerKey.dropFirst(prefix.count))
        guard fields.type == NoteSignatureType.ed25519.rawValue else {
            throw .unsupportedType(fields.type)
        }
        guard fields.key.count == 32 else { throw .wrongKeyLength(got: fields.key.count, want: 32) }
        let privateKey: Curve25519.Signing.PrivateKey
        do {
            privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: fields.key)
        } catch {
            throw .invalidKey("not an Ed25519 seed")
        }
        try self.init(name: fields.name, privateKey: privateKey)
        guard keyID == fields.keyID else { throw .keyIDMismatch(got: fields.keyID, want: keyID) }
    }

    /// A new random key named `name`.
    public static func generate(name: String) throws(KeyError) -> Ed25519NoteSigner {
        try Ed25519NoteSigner(name: name, privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The signer key string, `PRIVATE+KEY+name+hex8+base64(0x01 || seed)`. It is a secret.
    public var signerKey: String {
        "PRIVATE+KEY+" + VerifierKeyFields.format(name: name, keyID: keyID, type: .ed25519,
                                                   key: privateKey.rawRepresentation)
    }

    /// The matching verifier.
    public var verifier: Ed25519NoteVerifier {
        // Cannot fail: the name was checked when this signer was made.
        try! Ed25519NoteVerifier(name: name, publicKey: privateKey.publicKey)
    }

    public func sign(message: [UInt8]) throws -> [UInt8] {
        Array(try privateKey.signature(for: message))
    }
}
