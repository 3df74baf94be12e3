import Foundation
import Testing
import VellumClient
import VellumTesting

/// `vellum verify`'s checks on real Sigstore bundles (sigstore-python's test assets, checked with
/// the log keys of Sigstore's trusted roots) and on named mutations of one of them.
@Suite(.enabled(if: Vectors.available)) struct ReceiptVerifierTests {
    static let assets = "upstream/sigstore_sigstore-python/test/assets/"

    /// The Rekor v1 log key the trusted roots give for a bundle's log ID, as PEM.
    static func logKey(for bundle: [String: Any]) throws -> LogKey {
        let keyID = (((bundle["verificationMaterial"] as! [String: Any])["tlogEntries"] as! [[String: Any]])[0]["logId"] as! [String: Any])["keyId"] as! String
        for root in ["trusted_root.production.json", "trusted_root.staging.json"] {
            let object = try JSONSerialization.jsonObject(with: Vectors.data("upstream/sigstore_sigstore-python/" + root)) as! [String: Any]
            for tlog in object["tlogs"] as! [[String: Any]] where (tlog["logId"] as! [String: Any])["keyId"] as? String == keyID {
                let der = (tlog["publicKey"] as! [String: Any])["rawBytes"] as! String
                let lines = stride(from: 0, to: der.count, by: 64).map { String(der.dropFirst($0).prefix(64)) }
                return try LogKey(pem: "-----BEGIN PUBLIC KEY-----\n" + lines.joined(separator: "\n") + "\n-----END PUBLIC KEY-----\n")
            }
        }
        throw TestFailure("no trusted root names log \(keyID)")
    }

    static func load(_ name: String) throws -> (bytes: [UInt8], object: [String: Any]) {
        let data = try Vectors.data(assets + name)
        return (Array(data), try JSONSerialization.jsonObject(with: data) as! [String: Any])
    }

    static func failed(_ checks: [ReceiptVerifier.Check]) -> Set<String> { Set(checks.filter { $0.outcome == .failed }.map(\.name)) }

    @Test(arguments: ["bundle.txt.sigstore", "bundle_v3.txt.sigstore", "bundle_v3_alt.txt.sigstore",
                      "bundle_v3_github.whl.sigstore", "bundle_v3_no_signed_time.txt.sigstore.json"])
    func realBundlesFromRekorVerify(name: String) throws {
        let (bytes, object) = try Self.load(name)
        let receipt = try #require(try Receipt.parse(bytes).first)
        let checks = ReceiptVerifier(key: try Self.logKey(for: object)).verify(receipt)
        #expect(Self.failed(checks).isEmpty, "\(checks)")
        let passed = Set(checks.filter { $0.outcome == .passed }.map(\.name))
        var required: Set = ["log-id", "inclusion-proof", "checkpoint", "body", "bundle-certificate", "bundle-signature", "bundle-digest", "signature"]
        if receipt.signedEntryTimestamp != nil { required.insert("signed-entry-timestamp") }
        #expect(passed.isSuperset(of: required), "\(checks)")
    }

    @Test func theBundleOfCVE2022_36056IsRefused() throws {
        // A bundle whose tlog entry is not the signing event it comes with: the body records
        // another signature and certificate than the bundle's.
        let (bytes, object) = try Self.load("bundle_cve_2022_36056.txt.sigstore")
        let checks = ReceiptVerifier(key: try Self.logKey(for: object)).verify(try Receipt.parse(bytes)[0])
        #expect(!Self.failed(checks).isEmpty, "\(checks)")
        #expect(Self.failed(checks).isSubset(of: ["bundle-certificate", "bundle-signature", "bundle-digest"]), "\(checks)")
    }

    @Test func aBundleWithAnUnknownMediaTypeIsNotRead() throws {
        let (bytes, _) = try Self.load("bundle_invalid_version.txt.sigstore")
        #expect(throws: ClientError.self) { try Receipt.parse(bytes) }
    }

    /// Each named mutation of a valid bundle, and the checks it must fail.
    @Test(arguments: [
        ("body-byte", ["signed-entry-timestamp", "inclusion-proof", "body"]),
        ("proof-hash", ["inclusion-proof"]),
        ("proof-root", ["inclusion-proof", "checkpoint"]),
        ("checkpoint-size", ["checkpoint"]),
        ("set-byte", ["signed-entry-timestamp"]),
        ("integrated-time", ["signed-entry-timestamp"]),
        ("log-index", ["signed-entry-timestamp"]),
        ("message-signature", ["bundle-signature"]),
        ("message-digest", ["bundle-digest"]),
        ("certificate", ["bundle-certificate"]),
        ("artifact", ["artifact"]),
    ])
    func eachMutationFailsItsCheck(mutation: String, expected: [String]) throws {
        let (bytes, object) = try Self.load("bundle_v3.txt.sigstore")
        let key = try Self.logKey(for: object)
        var bundle = object
        var material = bundle["verificationMaterial"] as! [String: Any]
        var entry = (material["tlogEntries"] as! [[String: Any]])[0]
        var proof = entry["inclusionProof"] as! [String: Any]
        var message = bundle["messageSignature"] as! [String: Any]
        func flip(_ base64: String, at position: Int = 10) -> String {
            var data = Array(Data(base64Encoded: base64)!)
            data[position] ^= 1
            return Data(data).base64EncodedString()
        }
        var artifact: [UInt8]?
        switch mutation {
        case "body-byte": entry["canonicalizedBody"] = flip(entry["canonicalizedBody"] as! String, at: 40)
        case "proof-hash": var hashes = proof["hashes"] as! [String]; hashes[3] = flip(hashes[3]); proof["hashes"] = hashes
        case "proof-root": proof["rootHash"] = flip(proof["rootHash"] as! String)
        case "checkpoint-size":
            var checkpoint = proof["checkpoint"] as! [String: Any]
            let note = checkpoint["envelope"] as! String
            let lines = note.split(separator: "\n", omittingEmptySubsequences: false)
            checkpoint["envelope"] = ([lines[0], Substring(String(Int(lines[1])! + 1))] + lines[2...]).joined(separator: "\n")
            proof["checkpoint"] = checkpoint
        case "set-byte":
            var promise = entry["inclusionPromise"] as! [String: Any]
            promise["signedEntryTimestamp"] = flip(promise["signedEntryTimestamp"] as! String, at: 20)
            entry["inclusionPromise"] = promise
        case "integrated-time": entry["integratedTime"] = String(Int(entry["integratedTime"] as! String)! + 1)
        case "log-index": entry["logIndex"] = String(Int(entry["logIndex"] as! String)! + 1)
        case "message-signature": message["signature"] = flip(message["signature"] as! String)
        case "message-digest":
            var digest = message["messageDigest"] as! [String: Any]
            digest["digest"] = flip(digest["digest"] as! String)
            message["messageDigest"] = digest
        case "certificate":
            var certificate = material["certificate"] as! [String: Any]
            certificate["rawBytes"] = flip(certificate["rawBytes"] as! String, at: 300)
            material["certificate"] = certificate
        case "artifact": artifact = Array("not the signed file".utf8)
        default: Issue.record("unknown mutation \(mutation)")
        }
        entry["inclusionProof"] = proof
        material["tlogEntries"] = [entry]
        bundle["verificationMaterial"] = material
        bundle["messageSignature"] = message
        _ = bytes
        let mutated = Array(try JSONSerialization.data(withJSONObject: bundle))
        let checks = ReceiptVerifier(key: key).verify(try Receipt.parse(mutated)[0], artifact: artifact)
        #expect(Self.failed(checks) == Set(expected), "\(mutation): \(checks.filter { $0.outcome == .failed })")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The shared vectors' real Rekor v1 entries (normalized/real_world_rekor.json: bodies, proofs
/// and checkpoints from Sigstore bundles, without their SETs), as LogEntry receipts checked with
/// each log's note verifier key; and the vectors' negative cases (a wrong leaf index or size).
/// The Rekor v2 entries there (hashedrekord 0.0.2, Ed25519 logs) are a kind Vellum does not log.
@Suite(.enabled(if: Vectors.available)) struct RealRekorEntryReceiptTests {
    static func entries() throws -> [[String: Any]] {
        let file = try JSONSerialization.jsonObject(with: Vectors.data("normalized/real_world_rekor.json")) as! [String: Any]
        return (file["entries"] as! [[String: Any]]).filter { $0["log_key_details"] as? String == "PKIX_ECDSA_P256_SHA_256" }
    }

    static func receipt(_ entry: [String: Any], leafIndex: Int? = nil, treeSize: Int? = nil) throws -> Receipt {
        func hex(_ base64: String) -> String { Data(base64Encoded: base64)!.map { String(format: "%02x", $0) }.joined() }
        let logEntry: [String: Any] = [
            "body": entry["canonicalized_body"] as! String, "integratedTime": 0, "logIndex": entry["entry_log_index"] as! Int,
            "logID": hex(entry["log_id"] as! String),
            "verification": ["inclusionProof": [
                "checkpoint": entry["checkpoint"] as! String, "hashes": (entry["proof"] as! [String]).map(hex),
                "logIndex": leafIndex ?? entry["leaf_index"] as! Int, "rootHash": hex(entry["root"] as! String),
                "treeSize": treeSize ?? entry["tree_size"] as! Int]],
        ]
        return try Receipt.parse(Array(try JSONSerialization.data(withJSONObject: ["0": logEntry])))[0]
    }

    @Test func realRekorEntriesVerifyAndTheirNegativesFail() throws {
        let entries = try Self.entries()
        #expect(entries.count >= 10)
        for entry in entries {
            let verifier = ReceiptVerifier(key: try LogKey(verifierKey: entry["vkey"] as! String))
            let checks = verifier.verify(try Self.receipt(entry))
            let failed = Set(checks.filter { $0.outcome == .failed }.map(\.name))
            let passed = Set(checks.filter { $0.outcome == .passed }.map(\.name))
            #expect(failed.isEmpty && passed.isSuperset(of: ["inclusion-proof", "checkpoint", "body"]), "\(entry["source"]!): \(checks)")
            for negative in entry["negatives"] as! [[String: Any]] {
                // Negatives that change the leaf index or the size; the one that hashes the leaf
                // without its 0x00 prefix keeps both, and the verifier hashes leaves itself.
                guard let leafIndex = negative["leaf_index"] as? Int, let treeSize = negative["tree_size"] as? Int,
                      leafIndex != entry["leaf_index"] as? Int || treeSize != entry["tree_size"] as? Int else { continue }
                let bad = verifier.verify(try Self.receipt(entry, leafIndex: leafIndex, treeSize: treeSize))
                #expect(bad.contains { $0.name == "inclusion-proof" && $0.outcome == .failed }, "\(negative["desc"]!)")
            }
        }
    }
}
