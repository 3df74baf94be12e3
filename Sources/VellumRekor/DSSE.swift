import Crypto

/// A validated dsse 0.0.1 entry (dsse-intoto.md §2.1, §3): a DSSE envelope whose every
/// signature verified with one of the submitted verifiers. The envelope itself is not logged,
/// only its hash, its payload's hash and the signatures with their (canonical) verifiers.
public struct DSSE: Sendable {
    public static let kind = "dsse"
    public static let apiVersion = "0.0.1"

    /// The envelope as the client sent it.
    public let envelope: DSSEEnvelope
    /// The decoded payload.
    public let payload: [UInt8]
    /// SHA-256 of the envelope's JSON text as sent.
    public let envelopeHash: [UInt8]
    /// SHA-256 of the decoded payload.
    public let payloadHash: [UInt8]
    /// Each signature string with the key material that verified it, sorted by signature.
    public let signatures: [(signature: String, verifier: PublicKeyContent)]

    /// Validates a dsse 0.0.1 `spec` in Rekor's order (dsse-intoto.md §2.1): the verifiers'
    /// base64, the schema, proposed content versus committed hashes, the envelope, its
    /// signatures against the verifiers (``DSSEVerification``), then both hashes.
    public init(spec: JSONValue) throws(RekorEntryError) {
        guard case .object = spec else { throw .specNotObject(got: spec.typeName) }
        let proposed = spec["proposedContent"]?.objectValue

        // DecodeEntry: verifiers are base64; non-strings and empty strings are skipped.
        var verifiers: [DSSEVerification.Verifier] = []
        for item in proposed?["verifiers"]?.arrayValue ?? [] {
            guard let text = item.stringValue, !text.isEmpty else { continue }
            switch Base64.decode(Array(text.utf8), mode: .goStd) {
            case .success(let pem): verifiers.append(DSSEVerification.Verifier(pem: pem))
            case .failure(let error): throw .invalidBase64(field: .verifier, offset: error.offset)
            }
        }
        // Members of the wrong JSON type count as absent, as in Rekor's decoder (so `null`
        // from sigstore-python and Go clients does too).
        let signatures = spec["signatures"]?.arrayValue
        let envelopeHash = spec["envelopeHash"]?.objectValue
        let payloadHash = spec["payloadHash"]?.objectValue

        // Validate: the go-openapi schema.
        var violations: [RekorEntryError.SchemaViolation] = []
        if proposed != nil {
            if proposed?["envelope"]?.stringValue == nil { violations.append(.required(path: "proposedContent.envelope")) }
            // Rekor's decoder leaves the list nil when no usable item was given, so an empty
            // list fails "required" before "at least 1 items" could.
            if verifiers.isEmpty { violations.append(.required(path: "proposedContent.verifiers")) }
        }
        for (number, item) in (signatures ?? []).enumerated() {
            let path = "signatures.\(number)"
            if let signature = item["signature"]?.stringValue {
                if !Self.isStandardBase64(signature) {
                    violations.append(.pattern(path: "\(path).signature", pattern: Self.signaturePattern))
                }
            } else {
                violations.append(.required(path: "\(path).signature"))
            }
            if item["verifier"]?.stringValue == nil { violations.append(.required(path: "\(path).verifier")) }
        }
        for (name, hash) in [("envelopeHash", envelopeHash), ("payloadHash", payloadHash)] {
            guard let hash else { continue }
            violations += HashObject.violations(hash, path: name)
        }
        guard violations.isEmpty else { throw .schemaViolations(violations) }

        // Proposed content, or the three hashes of a committed entry: never both.
        let committedParts = envelopeHash != nil || payloadHash != nil || !(signatures ?? []).isEmpty
        guard let proposed else {
            guard envelopeHash != nil, payloadHash != nil, signatures != nil else {
                throw .dsseContentOrHashes(both: false)
            }
            throw .missingProposedContent
        }
        guard !committedParts else { throw .dsseContentOrHashes(both: true) }

        // The envelope and its signatures.
        let envelopeText = proposed["envelope"]?.stringValue ?? ""
        let envelope = try DSSEEnvelope(json: envelopeText)
        guard !envelope.signatures.isEmpty else { throw .envelopeWithoutSignatures }
        let matches = try DSSEVerification.match(envelope: envelope, verifiers: verifiers, stopWhenAllVerified: true)
        guard let payload = envelope.decodedPayload else { throw .envelopeNotVerified(DSSEVerification.badBase64) }

        self.envelope = envelope
        self.payload = payload
        self.envelopeHash = Array(SHA256.hash(data: Array(envelopeText.utf8)))
        self.payloadHash = Array(SHA256.hash(data: payload))
        // Go compares strings byte by byte: sort on the UTF-8.
        self.signatures = matches.bySignature.map { ($0.key, $0.value) }
            .sorted { $0.signature.utf8.lexicographicallyPrecedes($1.signature.utf8) }
    }

    /// The logged body before canonicalization (dsse-intoto.md §3): both hashes, and each
    /// signature string verbatim with the base64 of its verifier's canonical PEM.
    public var canonicalJSON: JSONValue {
        [
            "apiVersion": .string(Self.apiVersion),
            "kind": .string(Self.kind),
            "spec": [
                "envelopeHash": HashObject.sha256(envelopeHash),
                "payloadHash": HashObject.sha256(payloadHash),
                "signatures": .array(signatures.map { signature in
                    [
                        "signature": .string(signature.signature),
                        "verifier": .string(Base64.encode(signature.verifier.canonicalPEM)),
                    ]
                }),
            ],
        ]
    }

    /// The index keys (dsse-intoto.md §4): per signature `sha256:` and the hash of the canonical
    /// PEM, and the certificate's subject alternative names; the payload and envelope hashes;
    /// for an in-toto payload, its subject and material digests.
    public var searchKeys: [String] {
        var keys: [String] = []
        for signature in signatures {
            keys.append("sha256:" + signature.verifier.canonicalPEMHash)
            keys += signature.verifier.subjectAlternativeNames
        }
        keys.append("sha256:" + payloadHash.hexString)
        keys.append("sha256:" + envelopeHash.hexString)
        if envelope.payloadType == DSSEEnvelope.inTotoPayloadType {
            keys += InTotoStatement.digestKeys(payload: payload)
        }
        return keys
    }

    /// The entry as logged. A dsse entry never stores an attestation (dsse-intoto.md §4).
    public var canonicalEntry: CanonicalEntry {
        CanonicalEntry(kind: Self.kind, apiVersion: Self.apiVersion, body: canonicalJSON.canonicalBytes(),
                       searchKeys: searchKeys)
    }

    /// The `signature` pattern of Rekor's dsse schema: standard padded base64.
    static let signaturePattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$"

    /// Whether `text` matches ``signaturePattern`` (standard alphabet, padded, no line breaks;
    /// unused bits are not checked by a pattern).
    static func isStandardBase64(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count % 4 == 0 else { return false }
        let padding = bytes.reversed().prefix(while: { $0 == UInt8(ascii: "=") }).count
        guard padding <= 2 else { return false }
        return bytes.dropLast(padding).allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"): true
            default: false
            }
        }
    }
}

/// The `{algorithm, value}` hash objects of the dsse and intoto schemas.
enum HashObject {
    /// `{"algorithm": "sha256", "value": <lowercase hex>}`.
    static func sha256(_ digest: [UInt8]) -> JSONValue {
        ["algorithm": "sha256", "value": .string(digest.hexString)]
    }

    /// The schema's rules: `algorithm` required and in {sha256} (case-sensitive), `value` required.
    static func violations(_ hash: [String: JSONValue], path: String) -> [RekorEntryError.SchemaViolation] {
        var violations: [RekorEntryError.SchemaViolation] = []
        if let algorithm = hash["algorithm"]?.stringValue {
            if algorithm != "sha256" {
                violations.append(.notInEnum(path: "\(path).algorithm", got: algorithm, allowed: ["sha256"]))
            }
        } else {
            violations.append(.required(path: "\(path).algorithm"))
        }
        if hash["value"]?.stringValue == nil { violations.append(.required(path: "\(path).value")) }
        return violations
    }
}
