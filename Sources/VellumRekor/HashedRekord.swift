/// A validated hashedrekord 0.0.1 entry (rekor-v1.md §5): a signature over a digest, and the
/// key or certificate(s) it verifies with.
///
/// Only ever built by ``init(spec:checkingAlgorithms:)``, which runs every check of §5.2, so a
/// value of this type is an entry Rekor would log.
public struct HashedRekord: Sendable {
    /// The kind name.
    public static let kind = "hashedrekord"
    /// The only version we accept and log.
    public static let apiVersion = "0.0.1"

    /// The decoded `signature.content`.
    public let signature: [UInt8]
    /// The parsed `signature.publicKey.content`.
    public let publicKey: PublicKeyContent
    /// What signed: the bare key, or the leaf certificate's key.
    public let keyAlgorithm: KeyAlgorithm
    /// `data.hash.algorithm`.
    public let hashAlgorithm: HashAlgorithm
    /// `data.hash.value` exactly as submitted (case kept, §5.3).
    public let hashValue: String
    /// The decoded digest.
    public let digest: [UInt8]

    init(signature: [UInt8], publicKey: PublicKeyContent, keyAlgorithm: KeyAlgorithm,
         hashAlgorithm: HashAlgorithm, hashValue: String, digest: [UInt8]) {
        self.signature = signature
        self.publicKey = publicKey
        self.keyAlgorithm = keyAlgorithm
        self.hashAlgorithm = hashAlgorithm
        self.hashValue = hashValue
        self.digest = digest
    }

    /// The logged body before canonicalization (rekor-v1.md §5.3): kind and version fixed, the
    /// signature and canonical PEM re-encoded in padded base64, the hash copied verbatim;
    /// nothing else the client sent is kept.
    public var canonicalJSON: JSONValue {
        [
            "apiVersion": .string(Self.apiVersion),
            "kind": .string(Self.kind),
            "spec": [
                "data": [
                    "hash": [
                        "algorithm": .string(hashAlgorithm.rawValue),
                        "value": .string(hashValue),
                    ],
                ],
                "signature": [
                    "content": .string(Base64.encode(signature)),
                    "publicKey": ["content": .string(Base64.encode(publicKey.canonicalPEM))],
                ],
            ],
        ]
    }

    /// The index keys Rekor writes for this entry (rekor-v1.md §5.3): `hex(sha256(canonical
    /// PEM))`, every subject alternative name of the leaf certificate, `<alg>:<value>`.
    /// ``CanonicalEntry`` lowercases them.
    public var searchKeys: [String] {
        [publicKey.canonicalPEMHash] + publicKey.subjectAlternativeNames + ["\(hashAlgorithm.rawValue):\(hashValue)"]
    }

    /// The entry as logged.
    public var canonicalEntry: CanonicalEntry {
        CanonicalEntry(kind: Self.kind, apiVersion: Self.apiVersion, body: canonicalJSON.canonicalBytes(),
                       searchKeys: searchKeys)
    }
}
