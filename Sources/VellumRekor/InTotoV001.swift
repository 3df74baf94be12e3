import Crypto

/// A validated intoto 0.0.1 entry (dsse-intoto.md §2.3), as cosign up to 2.1 (and later with
/// `--rekor-entry-type=intoto`) sends it: the envelope as a JSON string and exactly one key.
/// Only the two hashes and the canonical key are logged; both hashes are the server's.
public struct InTotoV001: Sendable {
    public static let kind = "intoto"
    public static let apiVersion = "0.0.1"

    public let envelope: DSSEEnvelope
    /// The statement.
    public let payload: [UInt8]
    public let publicKey: PublicKeyContent
    /// SHA-256 of the envelope text, as sent.
    public let hash: [UInt8]
    /// SHA-256 of the statement.
    public let payloadHash: [UInt8]

    /// Validates an intoto 0.0.1 `spec`: the key (one base64 PEM), then the envelope, of which
    /// at least one signature must verify with it; a signature whose `keyid` is set must name
    /// the key by its SSH SHA-256 fingerprint (sigstore's DSSE verifier skips it otherwise).
    public init(spec: JSONValue) throws(RekorEntryError) {
        guard case .object = spec else { throw .specNotObject(got: spec.typeName) }
        let content = spec["content"]?.objectValue
        var pem: [UInt8] = []
        if let text = spec["publicKey"]?.stringValue, !text.isEmpty {
            switch Base64.decode(Array(text.utf8), mode: .goStd) {
            case .success(let bytes): pem = bytes
            case .failure(let error): throw .invalidBase64(field: .publicKey, offset: error.offset)
            }
        }
        var violations: [RekorEntryError.SchemaViolation] = []
        if content == nil { violations.append(.required(path: "content")) }
        if spec["publicKey"]?.stringValue == nil { violations.append(.required(path: "publicKey")) }
        if let hash = content?["hash"]?.objectValue { violations += HashObject.violations(hash, path: "content.hash") }
        if let hash = content?["payloadHash"]?.objectValue {
            violations += HashObject.violations(hash, path: "content.payloadHash")
        }
        guard violations.isEmpty else { throw .schemaViolations(violations) }
        guard !pem.isEmpty else { throw .missingPublicKey }
        let publicKey: PublicKeyContent
        do {
            publicKey = try PublicKeyContent(pem: pem)
        } catch {
            throw .publicKey(error)
        }
        guard let envelopeText = content?["envelope"]?.stringValue, !envelopeText.isEmpty else {
            throw .missingEnvelopeContent
        }
        let envelope = try DSSEEnvelope(json: envelopeText)
        guard !envelope.signatures.isEmpty else { throw .envelopeWithoutSignatures }
        guard let key = VerifyingKey(publicKey.publicKey) else { throw .verifierKeyType }
        _ = try DSSEVerification.firstVerified(envelope: envelope, key: key, keyID: SSHFingerprint.sha256(of: key))
        let statement: [UInt8]
        switch Base64.decode(Array(envelope.payload.utf8), mode: .goStd) {
        case .success(let bytes): statement = bytes
        case .failure(let error): throw .payloadNotDecodable(offset: error.offset)
        }
        self.envelope = envelope
        self.payload = statement
        self.publicKey = publicKey
        self.hash = Array(SHA256.hash(data: Array(envelopeText.utf8)))
        self.payloadHash = Array(SHA256.hash(data: statement))
    }

    /// `{"content": {"hash", "payloadHash"}, "publicKey": base64(canonical PEM)}`.
    public var canonicalJSON: JSONValue {
        [
            "apiVersion": .string(Self.apiVersion),
            "kind": .string(Self.kind),
            "spec": [
                "content": ["hash": HashObject.sha256(hash), "payloadHash": HashObject.sha256(payloadHash)],
                "publicKey": .string(Base64.encode(publicKey.canonicalPEM)),
            ],
        ]
    }

    /// `content.hash`, the key hash and names, the payload hash, the statement's digests.
    public var searchKeys: [String] {
        var keys = ["sha256:" + hash.hexString, "sha256:" + publicKey.canonicalPEMHash]
        keys += publicKey.subjectAlternativeNames
        keys.append("sha256:" + payloadHash.hexString)
        if envelope.payloadType == DSSEEnvelope.inTotoPayloadType {
            keys += InTotoStatement.digestKeys(payload: payload)
        }
        return keys
    }

    public var canonicalEntry: CanonicalEntry {
        CanonicalEntry(kind: Self.kind, apiVersion: Self.apiVersion, body: canonicalJSON.canonicalBytes(),
                       searchKeys: searchKeys, attestation: payload)
    }
}
