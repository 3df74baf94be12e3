/// What a logged body says about who signed and what was signed, read back from the canonical
/// body (the leaf) as monitors and verifiers see it, for every kind Vellum logs: the keys or
/// certificates that verified the signatures, and the artifact digests.
///
/// dsse and intoto 0.0.2 bodies do not carry the envelope's payload (Rekor drops it; dsse-intoto.md
/// §3), so their in-toto subject digests are only known when the statement comes with the entry
/// (`attestation.data` of an intoto entry on a log with attestation storage).
public struct LoggedEntry: Sendable {
    public let kind: String
    public let apiVersion: String
    /// Each signature's verification material as logged: bare keys, certificates or chains
    /// (empty when read with `parseKeys: false`).
    public let verifiers: [PublicKeyContent]
    /// The first PEM block of each signature's key material (`PUBLIC KEY` or `CERTIFICATE`),
    /// whichever way the entry was read.
    public let keyBlocks: [KeyBlock]
    /// Artifact digests as `<algorithm>:<lowercase hex>`: a hashedrekord's `data.hash`, and the
    /// subject and material digests of the in-toto statement when it is known.
    public let artifactDigests: [String]
    /// The hash of the DSSE payload (dsse, intoto), `<algorithm>:<hex>`; nil for hashedrekord.
    public let payloadHash: String?

    public struct KeyBlock: Sendable {
        /// `PUBLIC KEY` or `CERTIFICATE`.
        public let label: String
        public let der: [UInt8]
    }

    /// Reads a canonical body; `attestation` is the in-toto statement when the log returned one.
    /// With `parseKeys: false` the keys and certificates are only PEM-decoded (``keyBlocks``),
    /// for readers that find what they need in the DER themselves.
    public init(body: [UInt8], attestation: [UInt8]? = nil, parseKeys: Bool = true) throws(LoggedEntryError) {
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch { throw .notJSON("\(error)") }
        guard let kind = json["kind"]?.stringValue, let apiVersion = json["apiVersion"]?.stringValue,
              let spec = json["spec"], spec.objectValue != nil else {
            throw .missingField("kind, apiVersion or spec")
        }
        self.kind = kind
        self.apiVersion = apiVersion
        var digests: [String] = []
        var keyFields: [JSONValue?]
        var payloadHash: String?
        switch (kind, apiVersion) {
        case ("hashedrekord", "0.0.1"):
            keyFields = [spec["signature"]?["publicKey"]?["content"]]
            guard let digest = Self.digest(spec["data"]?["hash"]) else { throw .missingField("spec.data.hash") }
            digests.append(digest)
        case ("dsse", "0.0.1"):
            guard let signatures = spec["signatures"]?.arrayValue, !signatures.isEmpty else {
                throw .missingField("spec.signatures")
            }
            keyFields = signatures.map { $0["verifier"] }
            payloadHash = Self.digest(spec["payloadHash"])
        case ("intoto", "0.0.2"):
            guard let signatures = spec["content"]?["envelope"]?["signatures"]?.arrayValue, !signatures.isEmpty else {
                throw .missingField("spec.content.envelope.signatures")
            }
            keyFields = signatures.map { $0["publicKey"] }
            payloadHash = Self.digest(spec["content"]?["payloadHash"])
        case ("intoto", "0.0.1"):
            keyFields = [spec["publicKey"]]
            payloadHash = Self.digest(spec["content"]?["payloadHash"])
        default:
            throw .unsupportedKind(kind: kind, apiVersion: apiVersion)
        }
        var verifiers: [PublicKeyContent] = []
        var blocks: [KeyBlock] = []
        for (position, field) in keyFields.enumerated() {
            guard let text = field?.stringValue, case .success(let pem) = Base64.decode(Array(text.utf8), mode: .goStd) else {
                throw .missingField("the base64 PEM of signature \(position)")
            }
            if parseKeys {
                do {
                    let content = try PublicKeyContent(pem: pem)
                    verifiers.append(content)
                    blocks.append(KeyBlock(label: content.form == .publicKey ? "PUBLIC KEY" : "CERTIFICATE", der: content.firstDER))
                } catch {
                    throw .badVerifier(position: position, reason: "\(error)")
                }
            } else {
                guard let (block, _) = PEM.decodeFirst(PEM.trimSpace(pem)), ["PUBLIC KEY", "CERTIFICATE"].contains(block.label) else {
                    throw .badVerifier(position: position, reason: "no PUBLIC KEY or CERTIFICATE block")
                }
                blocks.append(KeyBlock(label: block.label, der: block.der))
            }
        }
        self.keyBlocks = blocks
        if let attestation {
            digests += InTotoStatement.digestKeys(payload: attestation).map { $0.lowercased() }
        }
        self.verifiers = verifiers
        self.artifactDigests = digests
        self.payloadHash = payloadHash
    }

    /// `{"algorithm": "sha256", "value": "…"}` as `sha256:…`, lowercased.
    private static func digest(_ field: JSONValue?) -> String? {
        guard let algorithm = field?["algorithm"]?.stringValue, let value = field?["value"]?.stringValue,
              !algorithm.isEmpty, !value.isEmpty else { return nil }
        return "\(algorithm):\(value)".lowercased()
    }
}

/// Why a logged body could not be read.
public enum LoggedEntryError: Error, Hashable, Sendable, CustomStringConvertible {
    case notJSON(String)
    case missingField(String)
    case unsupportedKind(kind: String, apiVersion: String)
    case badVerifier(position: Int, reason: String)

    public var description: String {
        switch self {
        case .notJSON(let reason): "the body is not JSON: \(reason)"
        case .missingField(let field): "the body has no \(field)"
        case .unsupportedKind(let kind, let apiVersion): "kind \(kind) \(apiVersion) is not one Vellum reads (hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.1 and 0.0.2)"
        case .badVerifier(let position, let reason): "the key or certificate of signature \(position) does not parse: \(reason)"
        }
    }
}
