/// The digests of an in-toto statement (in-toto attestation framework v1 and v0.1) that the
/// search index keeps: `subject[].digest` and, for a predicate with a `materials` array (SLSA
/// provenance v0.2), `predicate.materials[].digest` (dsse-intoto.md §4). Each digest becomes
/// `<algorithm>:<value>` (lowercased by ``CanonicalEntry``), so `POST /api/v1/index/retrieve
/// {"hash": "sha512:…"}` finds every attestation about an artifact, whatever its algorithm.
public enum InTotoStatement {
    /// The index keys of `payload`, an in-toto statement in JSON. A payload that is not JSON,
    /// or whose fields have other types, yields no keys (Rekor skips the in-toto keys then).
    public static func digestKeys(payload: [UInt8]) -> [String] {
        guard let statement = try? JSONValue.parse(payload), case .object = statement else { return [] }
        var keys: [String] = []
        for subject in statement["subject"]?.arrayValue ?? [] {
            keys += digestKeys(subject["digest"])
        }
        if let materials = statement["predicate"]?["materials"]?.arrayValue {
            for material in materials {
                keys += digestKeys(material["digest"])
            }
        }
        return keys
    }

    /// A `DigestSet` (`{"sha256": "…", "sha512": "…"}`) as `alg:value` keys, sorted by
    /// algorithm so that the order does not depend on the parser.
    private static func digestKeys(_ digestSet: JSONValue?) -> [String] {
        guard let members = digestSet?.objectValue else { return [] }
        return members.keys.sorted().compactMap { algorithm in
            guard let value = members[algorithm]?.stringValue, !value.isEmpty else { return nil }
            return "\(algorithm):\(value)"
        }
    }
}
