import Crypto

/// A validated intoto 0.0.2 entry (dsse-intoto.md §2.2, §3), as sigstore-js sends it: the DSSE
/// envelope as an object whose `payload` and `sig` strings are base64 of the DSSE base64 text
/// (double base64), one base64 PEM `publicKey` per signature, and a `hash` the client computed,
/// logged as sent and never checked (Rekor cannot: clients compute it differently).
public struct InToto: Sendable {
    public static let kind = "intoto"
    public static let apiVersion = "0.0.2"

    /// `envelope.payloadType`.
    public let payloadType: String
    /// The statement: the payload after both base64 layers.
    public let payload: [UInt8]
    /// The signatures as logged: `keyid` (omitted when empty), and `publicKey` and `sig`
    /// re-encoded after one decoding, in the client's order.
    public let signatures: [(keyID: String, publicKey: [UInt8], sig: [UInt8])]
    /// The key material of each signature, in the same order.
    public let publicKeys: [PublicKeyContent]
    /// `content.hash`, as sent.
    public let hash: (algorithm: String, value: String)
    /// SHA-256 of the statement.
    public let payloadHash: [UInt8]

    /// Validates an intoto 0.0.2 `spec` in Rekor's order (dsse-intoto.md §2.2).
    public init(spec: JSONValue) throws(RekorEntryError) {
        guard case .object = spec else { throw .specNotObject(got: spec.typeName) }
        let content = spec["content"]?.objectValue
        let envelope = content?["envelope"]?.objectValue

        // DecodeEntry: payload, each sig and each publicKey are decoded from base64 once.
        let payloadText = envelope?["payload"]?.stringValue ?? ""
        var payloadOnce: [UInt8] = []
        if !payloadText.isEmpty {
            payloadOnce = try Self.decode(payloadText, field: .payload)
        }
        var signatures: [(keyID: String, publicKey: [UInt8], sig: [UInt8])] = []
        var signatureItems = 0
        for item in envelope?["signatures"]?.arrayValue ?? [] {
            guard case .object(let fields) = item else { continue }
            signatureItems += 1
            let sig = try fields["sig"]?.stringValue.map { text throws(RekorEntryError) in try Self.decode(text, field: .envelopeSignature) }
            let key = try fields["publicKey"]?.stringValue.map { text throws(RekorEntryError) in try Self.decode(text, field: .envelopePublicKey) }
            signatures.append((fields["keyid"]?.stringValue ?? "", key ?? [], sig ?? []))
        }

        // Validate: the go-openapi schema.
        var violations: [RekorEntryError.SchemaViolation] = []
        if content == nil {
            violations.append(.required(path: "content"))
        } else if envelope == nil {
            violations.append(.required(path: "content.envelope"))
        } else {
            if envelope?["payloadType"]?.stringValue == nil { violations.append(.required(path: "content.envelope.payloadType")) }
            if signatureItems == 0 {
                violations.append(.required(path: "content.envelope.signatures"))
            }
            for (number, item) in (envelope?["signatures"]?.arrayValue ?? []).filter({ $0.objectValue != nil }).enumerated() {
                if item["sig"]?.stringValue == nil { violations.append(.required(path: "content.envelope.signatures.\(number).sig")) }
                if item["publicKey"]?.stringValue == nil {
                    violations.append(.required(path: "content.envelope.signatures.\(number).publicKey"))
                }
            }
        }
        let hashObject = content?["hash"]?.objectValue
        if let hashObject { violations += HashObject.violations(hashObject, path: "content.hash") }
        if let payloadHash = content?["payloadHash"]?.objectValue {
            violations += HashObject.violations(payloadHash, path: "content.payloadHash")
        }
        guard violations.isEmpty else { throw .schemaViolations(violations) }
        guard !payloadText.isEmpty else { throw .missingEnvelopeContent }
        guard signatures.allSatisfy({ !$0.sig.isEmpty && !$0.publicKey.isEmpty }) else { throw .missingEnvelopeContent }

        // The DSSE envelope inside: its payload and signatures are the once-decoded strings.
        let payloadType = envelope?["payloadType"]?.stringValue ?? ""
        let dsse = DSSEEnvelope(payloadType: payloadType, payload: String(decoding: payloadOnce, as: UTF8.self),
                                signatures: signatures.map {
                                    DSSEEnvelope.Signature(keyID: $0.keyID, sig: String(decoding: $0.sig, as: UTF8.self))
                                })
        // Every public key must verify a signature (no early stop), every signature needs a key.
        let verifiers = signatures.map { DSSEVerification.Verifier(pem: $0.publicKey) }
        let matches = try DSSEVerification.match(envelope: dsse, verifiers: verifiers, stopWhenAllVerified: false)

        // payloadHash: the statement, decoded with standard base64 only (a URL-safe inner
        // payload verified above and fails here, as in Rekor).
        let statement: [UInt8]
        switch Base64.decode(payloadOnce, mode: .goStd) {
        case .success(let bytes): statement = bytes
        case .failure(let error): throw .payloadNotDecodable(offset: error.offset)
        }
        // Canonicalize needs the client's hash (Rekor answers 500 without it; we, 400).
        guard let hashObject, let algorithm = hashObject["algorithm"]?.stringValue,
              let value = hashObject["value"]?.stringValue else { throw .missingEnvelopeDigest }

        self.payloadType = payloadType
        self.payload = statement
        self.signatures = signatures
        self.publicKeys = matches.parsed
        self.hash = (algorithm, value)
        self.payloadHash = Array(SHA256.hash(data: statement))
    }

    private static func decode(_ text: String, field: RekorEntryError.ContentField) throws(RekorEntryError) -> [UInt8] {
        switch Base64.decode(Array(text.utf8), mode: .goStd) {
        case .success(let bytes): return bytes
        case .failure(let error): throw .invalidBase64(field: field, offset: error.offset)
        }
    }

    /// The logged body before canonicalization (dsse-intoto.md §3): no payload; the signatures
    /// as sent (after one decode and re-encode), in order; the client's `hash`; the server's
    /// `payloadHash`.
    public var canonicalJSON: JSONValue {
        [
            "apiVersion": .string(Self.apiVersion),
            "kind": .string(Self.kind),
            "spec": [
                "content": [
                    "envelope": [
                        "payloadType": .string(payloadType),
                        "signatures": .array(signatures.map { signature in
                            var fields: [String: JSONValue] = [
                                "publicKey": .string(Base64.encode(signature.publicKey)),
                                "sig": .string(Base64.encode(signature.sig)),
                            ]
                            if !signature.keyID.isEmpty { fields["keyid"] = .string(signature.keyID) }
                            return .object(fields)
                        }),
                    ],
                    "hash": ["algorithm": .string(hash.algorithm), "value": .string(hash.value)],
                    "payloadHash": HashObject.sha256(payloadHash),
                ],
            ],
        ]
    }

    /// The index keys (dsse-intoto.md §4): per signature the key hash (prefixed) and the
    /// certificate's names, the payload hash, the statement's digests; never `hash`.
    public var searchKeys: [String] {
        var keys: [String] = []
        for key in publicKeys {
            keys.append("sha256:" + key.canonicalPEMHash)
            keys += key.subjectAlternativeNames
        }
        keys.append("sha256:" + payloadHash.hexString)
        if payloadType == DSSEEnvelope.inTotoPayloadType {
            keys += InTotoStatement.digestKeys(payload: payload)
        }
        return keys
    }

    /// The entry as logged, with the statement as its attestation (stored only when the
    /// server keeps attestations, keyed by `sha256:<payloadHash>`).
    public var canonicalEntry: CanonicalEntry {
        CanonicalEntry(kind: Self.kind, apiVersion: Self.apiVersion, body: canonicalJSON.canonicalBytes(),
                       searchKeys: searchKeys, attestation: payload)
    }
}
