import Crypto

/// Signs notes with ECDSA P-256 (signature type `0x02`, spec §6): an ASN.1 DER signature over
/// SHA-256 of the note text, key ID `SHA-256(DER SPKI)[:4]`. This is the flavour Rekor v1
/// checkpoints use. Signatures are randomised: verify them, never compare their bytes.
///
/// There is no signer-key string for this type; load the key from PEM (``NotePrivateKey``).
public struct ECDSANoteSigner: NoteSigner {
    public let name: String
    public let keyID: UInt32
    /// The P-256 private key.
    public let privateKey: P256.Signing.PrivateKey

    /// A signer for `privateKey` under `name`.
    public init(name: String, privateKey: P256.Signing.PrivateKey) throws(KeyError) {
        guard KeyName.isValid(name) else { throw .invalidName(name) }
        self.name = name
        self.privateKey = privateKey
        self.keyID = NoteKeyID.ecdsa(spki: privateKey.publicKey.derRepresentation)
    }

    /// A new random key named `name`.
    public static func generate(name: String) throws(KeyError) -> ECDSANoteSigner {
        try ECDSANoteSigner(name: name, privateKey: P256.Signing.PrivateKey())
    }

    /// The matching verifier.
    public var verifier: ECDSANoteVerifier {
        // Cannot fail: the name was checked when this signer was made.
        try! ECDSANoteVerifier(name: name, publicKey: privateKey.publicKey)
    }

    public func sign(message: [UInt8]) throws -> [UInt8] {
        Array(try privateKey.signature(for: message).derRepresentation)
    }
}
