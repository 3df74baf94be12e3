/// The body of `POST /api/v1/log/entries` and the items of a search's `entries`:
/// `{"kind": …, "apiVersion": …, "spec": {…}}` (rekor-v1.md §1.4).
public enum ProposedEntry {
    /// Every kind in Rekor's OpenAPI discriminator; other values are a 422.
    public static let knownKinds: Set<String> = [
        "alpine", "cose", "dsse", "hashedrekord", "helm", "intoto", "jar", "rekord", "rfc3161", "rpm", "tuf",
    ]

    /// The kinds this server validates and logs.
    public static let enabledKinds: Set<String> = [HashedRekord.kind, DSSE.kind, InToto.kind]

    /// The checked envelope: what go-openapi validates before Rekor's handler runs.
    struct Envelope {
        let kind: String
        let apiVersion: String
        let spec: JSONValue
    }

    /// Validates `json` as a proposed entry and returns it as it would be logged.
    ///
    /// Order: envelope (object, `kind` present and known, `apiVersion` present and a semantic
    /// version, `spec` present — the 422s), then the kind is enabled and the version
    /// implemented (400s), then the kind's own rules (``HashedRekord/init(spec:checkingAlgorithms:)``).
    ///
    /// - Parameters:
    ///   - json: the parsed request body (or one item of a search's `entries`).
    ///   - checkingAlgorithms: enforce the key/digest algorithm matrix; Rekor does on create and
    ///     not when a search canonicalizes entries to look them up.
    public static func canonicalize(_ json: JSONValue, checkingAlgorithms: Bool = true) throws(RekorEntryError) -> CanonicalEntry {
        try canonicalize(envelope(json), checkingAlgorithms: checkingAlgorithms)
    }

    /// Parses `bytes` as JSON, then ``canonicalize(_:checkingAlgorithms:)``.
    public static func canonicalize(json bytes: [UInt8], checkingAlgorithms: Bool = true) throws(RekorEntryError) -> CanonicalEntry {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes)
        } catch {
            throw .malformedJSON(error)
        }
        return try canonicalize(json, checkingAlgorithms: checkingAlgorithms)
    }

    /// The 422-level checks of go-openapi's `UnmarshalProposedEntry` and the kind's `Validate`.
    static func envelope(_ json: JSONValue) throws(RekorEntryError) -> Envelope {
        guard case .object = json else { throw .notAnObject(got: json.typeName) }
        let kind: String
        switch json["kind"] {
        case nil, .null: throw .missingKind
        case .string(let value): kind = value
        case let other?: throw .fieldType(field: "kind", want: "string", got: other.typeName)
        }
        guard !kind.isEmpty else { throw .missingKind }
        guard knownKinds.contains(kind) else { throw .unknownKind(kind) }
        let apiVersion: String
        switch json["apiVersion"] {
        case nil, .null: throw .missingAPIVersion
        case .string(let value): apiVersion = value
        case let other?: throw .fieldType(field: "apiVersion", want: "string", got: other.typeName)
        }
        guard SemanticVersion(apiVersion) != nil else { throw .apiVersionPattern(apiVersion) }
        guard let spec = json["spec"], spec != .null else { throw .missingSpec }
        return Envelope(kind: kind, apiVersion: apiVersion, spec: spec)
    }

    static func canonicalize(_ envelope: Envelope, checkingAlgorithms: Bool) throws(RekorEntryError) -> CanonicalEntry {
        guard enabledKinds.contains(envelope.kind) else { throw .kindNotEnabled(envelope.kind) }
        // Rekor matches versions with semver ranges, which ignore build metadata.
        let version = SemanticVersion(envelope.apiVersion)?.precedenceKey
        switch (envelope.kind, version) {
        case (HashedRekord.kind, HashedRekord.apiVersion):
            return try HashedRekord(spec: envelope.spec, checkingAlgorithms: checkingAlgorithms).canonicalEntry
        case (DSSE.kind, DSSE.apiVersion):
            return try DSSE(spec: envelope.spec).canonicalEntry
        case (InToto.kind, InToto.apiVersion):
            return try InToto(spec: envelope.spec).canonicalEntry
        case (InTotoV001.kind, InTotoV001.apiVersion):
            return try InTotoV001(spec: envelope.spec).canonicalEntry
        default:
            throw .unsupportedAPIVersion(kind: envelope.kind, version: envelope.apiVersion)
        }
    }
}
