import Crypto
import Foundation
import Testing
import VellumMerkle
import VellumRekor
import VellumTesting

/// Real Rekor entries (production and staging, from Sigstore bundles): re-submitting the logged
/// body as a proposed entry must give back exactly the same bytes and leaf hash, which is what
/// sigstore-python's body check and every inclusion proof depend on (rekor-v1.md §5.3).
@Suite(.enabled(if: Vectors.available, "needs ../shared/vectors"))
struct RealWorldBodiesTests {
    struct Body: Sendable, CustomTestStringConvertible {
        let source: String
        let body: [UInt8]
        let leafHash: Hash?
        var testDescription: String { source }
    }

    /// hashedrekord 0.0.1 bodies from `normalized/real_world_rekor.json`, with their leaf hashes.
    static func normalizedBodies() throws -> [Body] {
        let file = try JSONValue.parse(Array(Vectors.data("normalized/real_world_rekor.json")))
        return try file["entries"]!.arrayValue!.compactMap { entry -> Body? in
            let body = try #require(Base64Text.decode(entry["canonicalized_body"]!.stringValue!))
            guard isHashedRekord001(body) else { return nil }
            let leaf = try #require(Base64Text.decode(entry["leaf_hash"]!.stringValue!))
            return Body(source: entry["source"]!.stringValue!, body: body, leafHash: Hash(leaf))
        }
    }

    /// hashedrekord 0.0.1 `canonicalizedBody`s of every sigstore-python test bundle.
    static func bundleBodies() throws -> [Body] {
        try SigstoreBundles.all().flatMap { bundle in
            bundle.tlogEntries.compactMap { entry in
                guard let text = entry["canonicalizedBody"]?.stringValue, let body = Base64Text.decode(text),
                      isHashedRekord001(body) else { return nil }
                return Body(source: bundle.name, body: body, leafHash: nil)
            }
        }
    }

    static func isHashedRekord001(_ body: [UInt8]) -> Bool {
        guard let json = try? JSONValue.parse(body) else { return false }
        return json["kind"] == "hashedrekord" && json["apiVersion"] == "0.0.1"
    }

    @Test func findsTheVectors() throws {
        #expect(try Self.normalizedBodies().count >= 8)
        #expect(try Self.bundleBodies().count >= 8)
    }

    /// Looked up as a search does (no algorithm matrix), every body comes back byte-identical.
    /// Created anew, the matrix applies: the 2023 staging entry signed with a P-384 key over a
    /// SHA-256 digest (sigstore-python 1.x) predates Rekor's `--client-signing-algorithms` and
    /// is refused today, by Rekor and by us.
    @Test func resubmittedBodiesCanonicalizeToThemselves() throws {
        var refused = 0
        for vector in try Self.normalizedBodies() + Self.bundleBodies() {
            let entry = try ProposedEntry.canonicalize(json: vector.body, checkingAlgorithms: false)
            #expect(entry.body == vector.body, "\(vector.source)")
            #expect(entry.leafHash == RFC6962.leafHash(vector.body), "\(vector.source)")
            if let leafHash = vector.leafHash { #expect(entry.leafHash == leafHash, "\(vector.source)") }
            #expect(entry.kind == "hashedrekord" && entry.apiVersion == "0.0.1")
            do {
                _ = try ProposedEntry.canonicalize(json: vector.body)
            } catch {
                #expect(error == .algorithmNotAllowed(key: .ecdsaP384, hash: .sha256), "\(vector.source)")
                refused += 1
            }
        }
        #expect(refused == 2)  // bundle.txt.sigstore, once from each vectors file
    }

    /// Whitespace, member order and PEM line length do not matter: the canonical body does not
    /// change.
    @Test func reformattedSubmissionsGiveTheSameBody() throws {
        for vector in try Self.normalizedBodies() {
            let json = try JSONValue.parse(vector.body)
            let pem = Base64Text.decode(json["spec"]!["signature"]!["publicKey"]!["content"]!.stringValue!)!
            // Re-wrap the PEM at 76 columns with CRLF and a header, as some tools write it.
            let text = String(decoding: pem, as: UTF8.self)
            let lines = text.split(separator: "\n")
            let base64 = lines.dropFirst().dropLast().joined()
            var rewrapped = "junk before\r\n" + lines.first! + "\r\nComment: re-wrapped\r\n\r\n"
            var index = base64.startIndex
            while index < base64.endIndex {
                let end = base64.index(index, offsetBy: 76, limitedBy: base64.endIndex) ?? base64.endIndex
                rewrapped += base64[index..<end] + "\r\n"
                index = end
            }
            rewrapped += lines.last! + "\r\n\n"
            let submission = """
            { "spec": { "signature": { "publicKey": { "content": "\(Base64Text.encode(Array(rewrapped.utf8)))" },
                                       "content": "\(json["spec"]!["signature"]!["content"]!.stringValue!)" },
                        "data": { "hash": { "value": "\(json["spec"]!["data"]!["hash"]!["value"]!.stringValue!)",
                                            "algorithm": "sha256" } } },
              "apiVersion": "0.0.1", "kind": "hashedrekord" }
            """
            let entry = try ProposedEntry.canonicalize(json: Array(submission.utf8), checkingAlgorithms: false)
            #expect(entry.body == vector.body, "\(vector.source)")
        }
    }

    /// The SETs in the bundles verify over our payload bytes with the trusted-root log keys.
    @Test func signedEntryTimestampsOfRealBundlesVerify() throws {
        let keys = try SigstoreBundles.logKeys()
        var verified = 0
        for bundle in try SigstoreBundles.all() {
            for entry in bundle.tlogEntries {
                guard let set = entry["inclusionPromise"]?["signedEntryTimestamp"]?.stringValue,
                      let keyID = entry["logId"]?["keyId"]?.stringValue,
                      let key = keys[keyID] else { continue }
                let logID = Base64Text.decode(keyID)!.map { String(format: "%02x", $0) }.joined()
                let payload = SignedEntryTimestamp.payload(
                    body: entry["canonicalizedBody"]!.stringValue!,
                    integratedTime: Int64(entry["integratedTime"]!.stringValue!)!,
                    logID: logID,
                    logIndex: Int64(entry["logIndex"]!.stringValue!)!)
                #expect(SignedEntryTimestamp.verify(signature: Base64Text.decode(set)!, payload: payload, key: key),
                        "\(bundle.name)")
                verified += 1
            }
        }
        #expect(verified >= 5)
    }
}

/// Standard base64 through Foundation, for test fixtures.
enum Base64Text {
    static func decode(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map(Array.init) }
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

/// The Sigstore bundles and trusted roots kept under `upstream/sigstore_sigstore-python`.
enum SigstoreBundles {
    struct Bundle {
        let name: String
        let tlogEntries: [JSONValue]
    }

    static let folder = "upstream/sigstore_sigstore-python"

    static func all() throws -> [Bundle] {
        let root = try #require(Vectors.directory).appendingPathComponent(folder)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }
            .filter { $0.lastPathComponent.contains(".sigstore") }
            .sorted { $0.path < $1.path }
        return try files.compactMap { url in
            let data = try Data(contentsOf: url)
            guard let json = try? JSONValue.parse(Array(data)) else { return nil }
            let entries = json["verificationMaterial"]?["tlogEntries"]?.arrayValue ?? []
            return Bundle(name: url.lastPathComponent, tlogEntries: entries)
        }
    }

    /// Rekor v1 log keys of both trusted roots, by base64 key ID.
    static func logKeys() throws -> [String: P256.Signing.PublicKey] {
        var keys: [String: P256.Signing.PublicKey] = [:]
        for name in ["trusted_root.production.json", "trusted_root.staging.json"] {
            let json = try JSONValue.parse(Array(Vectors.data("\(folder)/\(name)")))
            for log in json["tlogs"]?.arrayValue ?? [] {
                guard let raw = log["publicKey"]?["rawBytes"]?.stringValue, let keyID = log["logId"]?["keyId"]?.stringValue,
                      let key = try? P256.Signing.PublicKey(derRepresentation: Base64Text.decode(raw)!) else { continue }
                keys[keyID] = key
            }
        }
        return keys
    }
}
