/// The body of `POST /api/v1/index/retrieve` (rekor-v1.md §8), reduced to index keys.
///
/// Each criterion becomes one lowercase key, in the form entries are indexed under
/// (``CanonicalEntry/searchKeys``); the server looks each key up and combines the ID sets with
/// ``operator``. Empty strings count as absent (go-openapi skips zero values). No criteria at
/// all is valid and matches nothing.
public struct SearchIndexQuery: Sendable, Equatable {
    /// How the criteria combine.
    public enum Operator: String, Sendable, CaseIterable {
        /// Intersection of the criteria's results.
        case and
        /// Union (the default).
        case or
    }

    /// `<alg>:<hex>` from `hash`, prefixed by length when the client sent bare hex.
    public let hash: String?
    /// `hex(sha256(canonical PEM))` of `publicKey` (x509 only).
    public let publicKeyHash: String?
    /// `email`, lowercased.
    public let email: String?
    /// `subject` (any SAN), lowercased.
    public let subject: String?
    /// `operator`, `or` when absent.
    public let `operator`: Operator

    /// The keys to look up, in the order hash, public key, email, subject.
    public var keys: [String] { [hash, publicKeyHash, email, subject].compactMap { $0 } }

    /// The lookups per criterion (same order); an entry matches a criterion when any of its
    /// keys finds it. A public key is looked up as Rekor indexes hashedrekord keys (bare hex)
    /// and as it indexes dsse and intoto keys (`sha256:` and hex): Rekor's own search asks only
    /// the first, so it never finds a signer's attestations by key; this one does.
    public var criteria: [[String]] {
        [hash.map { [$0] }, publicKeyHash.map { [$0, "sha256:" + $0] }, email.map { [$0] }, subject.map { [$0] }]
            .compactMap { $0 }
    }

    /// The `hash` pattern of Rekor's OpenAPI spec (no sha384).
    public static let hashPattern = "^(sha512:)?[0-9a-fA-F]{128}$|^(sha256:)?[0-9a-fA-F]{64}$|^(sha1:)?[0-9a-fA-F]{40}$"
    /// The `publicKey.format` enum of Rekor's OpenAPI spec; only `x509` is supported here.
    public static let publicKeyFormats = ["pgp", "x509", "minisign", "ssh", "tuf"]
    /// `subject` length bounds, in characters.
    public static let subjectLength = 1...512

    public init(hash: String? = nil, publicKeyHash: String? = nil, email: String? = nil, subject: String? = nil,
                operator: Operator = .or) {
        self.hash = hash
        self.publicKeyHash = publicKeyHash
        self.email = email
        self.subject = subject
        self.operator = `operator`
    }

    /// Validates a parsed request body: schema rules first (422), then the public key (400).
    public static func parse(_ json: JSONValue) throws(RekorRequestError) -> SearchIndexQuery {
        guard case .object = json else { throw .wrongType(field: "body", want: "object", got: json.typeName) }
        let email = try string(json, "email")
        if let email, !isEmailAddress(email) { throw .invalidEmail(email) }

        var hash = try string(json, "hash")
        if let text = hash {
            hash = try normalizedHash(text)
        }

        let operatorText = try string(json, "operator")
        let op: Operator
        if let operatorText {
            guard let parsed = Operator(rawValue: operatorText) else {
                throw .notInEnum(field: "operator", allowed: Operator.allCases.map(\.rawValue))
            }
            op = parsed
        } else {
            op = .or
        }

        let publicKey = try publicKeyCriterion(json)

        let subject = try string(json, "subject")
        if let subject {
            let length = subject.unicodeScalars.count
            guard length <= subjectLength.upperBound else { throw .tooLong(field: "subject", maximum: subjectLength.upperBound) }
        }

        return SearchIndexQuery(hash: hash, publicKeyHash: try publicKey.map(publicKeyHash),
                                email: email?.lowercased(), subject: subject?.lowercased(), operator: op)
    }

    /// Parses the request body bytes, then ``parse(_:)``.
    public static func parse(json bytes: [UInt8]) throws(RekorRequestError) -> SearchIndexQuery {
        try parse(try RekorRequestError.parseBody(bytes))
    }

    /// A string member; absent, `null` and `""` read as `nil`.
    private static func string(_ json: JSONValue, _ field: String) throws(RekorRequestError) -> String? {
        switch json[field] {
        case nil, .null?: return nil
        case .string(let value)?: return value.isEmpty ? nil : value
        case let other?: throw .wrongType(field: field, want: "string", got: other.typeName)
        }
    }

    /// `[alg:]hex` → lowercase `alg:hex`; a bare digest gets its prefix from its length
    /// (40 sha1, 64 sha256, 128 sha512), as Rekor's `util.PrefixSHA` does.
    static func normalizedHash(_ text: String) throws(RekorRequestError) -> String {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let prefix = parts.count == 2 ? String(parts[0]) : nil
        let digest = parts.count == 2 ? parts[1] : parts[0]
        let lengths = ["sha1": 40, "sha256": 64, "sha512": 128]
        let algorithm = prefix ?? lengths.first(where: { $0.value == digest.utf8.count })?.key
        guard let algorithm, lengths[algorithm] == digest.utf8.count,
              digest.utf8.allSatisfy({ $0 < 0x80 && $0.isHexDigit })
        else { throw .patternMismatch(field: "hash", pattern: hashPattern) }
        return "\(algorithm):\(digest.lowercased())"
    }

    /// The decoded `publicKey.content` of an x509 criterion, or `nil` when there is none.
    private static func publicKeyCriterion(_ json: JSONValue) throws(RekorRequestError) -> [UInt8]? {
        switch json["publicKey"] {
        case nil, .null?: return nil
        case .object?: break
        case let other?: throw .wrongType(field: "publicKey", want: "object", got: other.typeName)
        }
        let publicKey = json["publicKey"]!
        guard let format = try string(publicKey, "format") else { throw .required(field: "publicKey.format") }
        guard publicKeyFormats.contains(format) else {
            throw .notInEnum(field: "publicKey.format", allowed: publicKeyFormats)
        }
        let content = try string(publicKey, "content")
        guard format == "x509" else { throw .unsupportedPKIFormat(format) }
        guard let content else { throw .malformedPublicKey(reason: "publicKey.content is required") }
        guard let bytes = Base64.decodeCanonical(content) else {
            throw .malformedPublicKey(reason: "publicKey.content is not padded standard base64")
        }
        return bytes
    }

    /// `hex(sha256(canonical PEM))` of a key, certificate or chain, as entries are indexed.
    private static func publicKeyHash(_ pem: [UInt8]) throws(RekorRequestError) -> String {
        do {
            return try PublicKeyContent(pem: pem).canonicalPEMHash
        } catch {
            throw .malformedPublicKey(reason: error.description)
        }
    }

    /// A plain `local@domain` address: one `@`, both sides non-empty, no spaces, controls or
    /// angle brackets, a domain without empty labels. (go-openapi's `strfmt` email check is
    /// Go's `mail.ParseAddress`, which also takes display-name forms that could never match an
    /// index key.)
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        guard !text.unicodeScalars.contains(where: {
            $0.value <= 0x20 || $0.value == 0x7F || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";"
        }) else { return false }
        return !parts[1].split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
    }
}
