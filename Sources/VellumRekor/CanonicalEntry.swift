import VellumMerkle

/// A validated entry in the form that is logged: its canonical body, leaf hash and index keys.
public struct CanonicalEntry: Sendable, Hashable {
    /// The entry kind, e.g. `hashedrekord`.
    public let kind: String
    /// The entry type version, e.g. `0.0.1`.
    public let apiVersion: String
    /// The canonical body with its leaf hash, as the log takes it.
    public let leaf: LogLeaf
    /// The RFC 8785 canonical body: the leaf value, and (base64) the `body` of every LogEntry.
    public var body: [UInt8] { leaf.bytes }
    /// `SHA-256(0x00 || body)`: the Merkle leaf hash and the entry UUID (rekor-v1.md §3).
    public var leafHash: Hash { leaf.hash }
    /// The search-index keys (rekor-v1.md §5.3, §8), lowercased, duplicates removed, in
    /// Rekor's order: key hash, subject alternative names, `<alg>:<digest>`.
    public let searchKeys: [String]
    /// What an intoto entry attests (its statement), which a server that keeps attestations
    /// stores beside the entry and returns on reads, outside the body and the SET
    /// (dsse-intoto.md §4). Nil for kinds that have none.
    public let attestation: [UInt8]?

    public init(kind: String, apiVersion: String, body: [UInt8], searchKeys: [String], attestation: [UInt8]? = nil) {
        self.kind = kind
        self.apiVersion = apiVersion
        self.attestation = attestation
        self.leaf = LogLeaf(body)
        var seen = Set<String>()
        self.searchKeys = searchKeys.map { $0.lowercased() }.filter { seen.insert($0).inserted }
    }

    /// The body in standard padded base64, as LogEntry `body` carries it.
    public var bodyBase64: String { Base64.encode(body) }

    /// The entry UUID: 64 lowercase hex characters of the leaf hash.
    public var uuid: String { leafHash.hex }
}
