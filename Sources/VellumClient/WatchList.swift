import Crypto
import SwiftASN1
import VellumRekor
import X509
import Yams

/// What a monitor looks for (`--watch FILE`, YAML). Every key is optional:
///
/// ```yaml
/// identities:      # a certificate SAN, anchored regular expression; optional OIDC issuer (Fulcio)
///   - san: "alice@example\\.com"
///     issuer: "https://accounts\\.example\\.com"
/// fingerprints:    # SHA-256 of a key's DER SubjectPublicKeyInfo (or of a certificate's DER)
///   - "sha256:<64 hex>"
/// digests:         # hashedrekord data hashes; in-toto subject and material digests
///   - "sha512:<128 hex>"
/// extensions:      # certificate extension by OID, value matched exactly
///   - oid: "1.3.6.1.4.1.57264.1.9"
///     value: "https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main"
/// ```
///
/// Patterns are anchored: `alice@example\.com` matches that address only, not
/// `eviluser@example.com.evil` (rekor-monitor's unanchored match does; monitor-witness.md §1.1).
/// Unknown keys are refused, so that a misspelt key cannot silently watch nothing.
public struct WatchList: Sendable {
    public struct Identity: Sendable {
        let san: Pattern
        let issuer: Pattern?
    }

    public struct Extension: Sendable {
        let oid: ASN1ObjectIdentifier
        /// The OID's DER contents, as ``CertificateFacts`` finds them in a certificate.
        let oidBytes: [UInt8]
        let oidText: String
        let value: String
    }

    var identities: [Identity] = []
    /// Identities whose SAN pattern is a plain string, by that string; the rest are regexes.
    var literalSANs: [String: [Int]] = [:]
    var patternSANs: [Int] = []
    /// Lowercase `sha256:<hex>` → position in the file's list.
    var fingerprints: [String: Int] = [:]
    var digests: [String: Int] = [:]
    var extensions: [Extension] = []

    public var isEmpty: Bool { identities.isEmpty && fingerprints.isEmpty && digests.isEmpty && extensions.isEmpty }

    public init() {}

    /// Parses the YAML watch list; the error names the key and item that is wrong.
    public init(yaml: String) throws(ClientError) {
        let loaded: Any?
        do { loaded = try Yams.load(yaml: yaml) } catch { throw .configuration("the watch list is not YAML: \(error)") }
        guard let loaded else { return }
        guard let top = loaded as? [String: Any] else { throw .configuration("the watch list must be a mapping of identities, fingerprints, digests, extensions") }
        let known: Set = ["identities", "fingerprints", "digests", "extensions"]
        if let unknown = top.keys.filter({ !known.contains($0) }).sorted().first {
            throw .configuration("the watch list has an unknown key \(unknown); the keys are \(known.sorted().joined(separator: ", "))")
        }
        for (position, item) in try Self.list(top["identities"], "identities").enumerated() {
            guard let fields = item as? [String: Any], let san = fields["san"] as? String,
                  Set(fields.keys).isSubset(of: ["san", "issuer"]) else {
                throw .configuration("identities[\(position)] must be {san: <regex>, issuer: <regex>} with san given")
            }
            let issuer = try (fields["issuer"]).map { (value: Any) throws(ClientError) -> Pattern in
                guard let text = value as? String else { throw .configuration("identities[\(position)].issuer must be a string") }
                return try Pattern(text, name: "identities[\(position)].issuer")
            }
            identities.append(Identity(san: try Pattern(san, name: "identities[\(position)].san"), issuer: issuer))
        }
        fingerprints = try Self.digestList(top["fingerprints"], "fingerprints", algorithms: ["sha256": 64])
        digests = try Self.digestList(top["digests"], "digests", algorithms: ["sha256": 64, "sha384": 96, "sha512": 128, "sha1": 40])
        for (position, item) in try Self.list(top["extensions"], "extensions").enumerated() {
            guard let fields = item as? [String: Any], let oidText = fields["oid"] as? String,
                  let value = fields["value"] as? String, fields.count == 2 else {
                throw .configuration("extensions[\(position)] must be {oid: <dotted OID>, value: <string>}")
            }
            let oid: ASN1ObjectIdentifier
            do { oid = try ASN1ObjectIdentifier(dotRepresentation: oidText) } catch {
                throw .configuration("extensions[\(position)].oid \(oidText) is not a dotted OID")
            }
            var serializer = DER.Serializer()
            do { try serializer.serialize(oid) } catch {
                throw .configuration("extensions[\(position)].oid \(oidText) cannot be encoded")
            }
            guard let element = DERWalk.element(serializer.serializedBytes, at: 0) else {
                throw .configuration("extensions[\(position)].oid \(oidText) cannot be encoded")
            }
            extensions.append(Extension(oid: oid, oidBytes: Array(serializer.serializedBytes[element.contents..<element.end]),
                                        oidText: oidText, value: value))
        }
        indexIdentities()
    }

    private mutating func indexIdentities() {
        literalSANs = [:]
        patternSANs = []
        for (position, identity) in identities.enumerated() {
            if let literal = identity.san.literal { literalSANs[literal, default: []].append(position) } else { patternSANs.append(position) }
        }
    }

    private static func list(_ value: Any?, _ key: String) throws(ClientError) -> [Any] {
        guard let value else { return [] }
        guard let items = value as? [Any] else { throw .configuration("\(key) must be a list") }
        return items
    }

    private static func digestList(_ value: Any?, _ key: String, algorithms: [String: Int]) throws(ClientError) -> [String: Int] {
        var result: [String: Int] = [:]
        for (position, item) in try list(value, key).enumerated() {
            let text = (item as? String)?.lowercased() ?? ""
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let length = algorithms[String(parts[0])], parts[1].count == length,
                  parts[1].allSatisfy(\.isHexDigit) else {
                throw .configuration("\(key)[\(position)] must be <algorithm>:<hex> with algorithm one of \(algorithms.keys.sorted().joined(separator: ", ")), got \(item)")
            }
            result[text] = position
        }
        return result
    }
}

/// One reason an entry matched the watch list.
public struct WatchMatch: Sendable, Hashable, Codable {
    /// The watch-list item, e.g. `identities[0]`.
    public let rule: String
    /// What matched: the SAN, fingerprint, digest or extension value found in the entry.
    public let value: String
}

/// A regular expression matched against a whole string; patterns without metacharacters are
/// compared as strings, which is most of a large watch list and far cheaper.
struct Pattern: @unchecked Sendable {
    let text: String
    let literal: String?
    let regex: Regex<AnyRegexOutput>?

    init(_ text: String, name: String) throws(ClientError) {
        self.text = text
        if let literal = Self.literal(text) {
            self.literal = literal
            self.regex = nil
        } else {
            self.literal = nil
            do { self.regex = try Regex(text) } catch {
                throw .configuration("\(name) is not a regular expression: \(text)")
            }
        }
    }

    func matches(_ value: String) -> Bool {
        if let literal { return literal == value }
        return (try? regex?.wholeMatch(in: value)) != nil
    }

    /// The string a pattern matches when it matches only one (escapes of punctuation allowed).
    static func literal(_ pattern: String) -> String? {
        var result = ""
        var escaped = false
        for character in pattern {
            if escaped {
                guard character.isPunctuation || character.isSymbol else { return nil }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if ".^$*+?()[]{}|".contains(character) {
                return nil
            } else {
                result.append(character)
            }
        }
        return escaped ? nil : result
    }
}
