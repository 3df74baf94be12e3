import Crypto
import Foundation
import Testing
import VellumClient
import VellumMerkle
@testable import VellumServer

/// `vellum verify`'s checks accept the receipts Vellum gives for every kind it logs (the create
/// answer and a later lookup), refuse each named mutation of them with the right check, and
/// `--online` proves an old receipt's tree is extended by the log's current one.
@Suite struct ServerReceiptTests {
    /// An intoto 0.0.1 request as cosign's `--rekor-entry-type=intoto` sends it.
    static func intotoV001(_ signer: TestSigner, payload: [UInt8]) throws -> [String: Any] {
        let sig = try signer.key.signature(for: SHA256.hash(data: ServerAttestationTests.pae(payload))).derRepresentation.base64EncodedString()
        let envelope = #"{"payloadType":"application/vnd.in-toto+json","payload":"\#(Data(payload).base64EncodedString())","signatures":[{"keyid":"","sig":"\#(sig)"}]}"#
        return ["apiVersion": "0.0.1", "kind": "intoto",
                "spec": ["content": ["envelope": envelope], "publicKey": Data(signer.publicKeyPEM.utf8).base64EncodedString()]]
    }

    static func failed(_ checks: [ReceiptVerifier.Check]) -> Set<String> { Set(checks.filter { $0.outcome == .failed }.map(\.name)) }

    @Test func vellumReceiptsOfEveryKindVerifyAndMutationsFailTheirCheck() async throws {
        try await TestServer.with { server in
            let key = try LogKey(pem: server.log.publicKeyPEM)
            let verifier = ReceiptVerifier(key: key)
            let signer = TestSigner()
            let artifact = Array("the artifact \(UUID())".utf8)
            let digest = SHA256.hash(data: artifact)
            let hashedrekord = TestSigner.hashedrekord(signature: Data(try signer.key.signature(for: digest).derRepresentation),
                                                       publicKeyPEM: signer.publicKeyPEM, algorithm: "sha256",
                                                       digest: Hash(Array(digest))!.hex)
            let requests: [(String, [String: Any])] = [
                ("hashedrekord", hashedrekord),
                ("dsse", try ServerAttestationTests.dsse(signer, payload: ServerAttestationTests.statement("d").bytes)),
                ("intoto 0.0.2", try ServerAttestationTests.intoto(signer, payload: ServerAttestationTests.statement("i").bytes)),
                ("intoto 0.0.1", try Self.intotoV001(signer, payload: ServerAttestationTests.statement("o").bytes)),
            ]
            var receipts: [(String, [UInt8])] = []
            for (name, request) in requests {
                let created = try await server.client.post("/api/v1/log/entries", json: request)
                #expect(created.status == 201, "\(name): \(created.text)")
                receipts.append((name, created.body))
            }
            // More entries, so lookups come with a larger tree than the create answers did.
            for round in 0..<5 { _ = try await server.client.post("/api/v1/log/entries", json: try signer.request("more \(round)").request) }
            for (name, body) in receipts {
                let receipt = try #require(try Receipt.parse(body).first)
                let checks = verifier.verify(receipt, artifact: name == "hashedrekord" ? artifact : nil)
                #expect(Self.failed(checks).isEmpty, "\(name): \(checks)")
                let passed = Set(checks.filter { $0.outcome == .passed }.map(\.name))
                #expect(passed.isSuperset(of: ["log-id", "signed-entry-timestamp", "inclusion-proof", "checkpoint", "body"]), "\(name): \(checks)")
                if name == "hashedrekord" { #expect(passed.isSuperset(of: ["signature", "artifact"])) }
                // The same entry looked up later: a newer tree, and the online check extends the old one.
                let lookup = try await server.client.get("/api/v1/log/entries/\(receipt.entryUUID!)")
                let later = try #require(try Receipt.parse(lookup.body).first)
                #expect(Self.failed(verifier.verify(later)).isEmpty, "\(name) lookup")
                #expect(later.proof!.treeSize > receipt.proof!.treeSize)
                let transport = try URLSessionTransport(base: "http://127.0.0.1:\(server.client.port)")
                for api in LogAPI.allCases {
                    let online = try await verifier.online(receipt, source: api.source(transport))
                    #expect(online.outcome == .passed, "\(name) online via \(api): \(online)")
                }
            }
            // Named mutations of the hashedrekord receipt.
            let original = try JSONSerialization.jsonObject(with: Data(receipts[0].1)) as! [String: Any]
            let uuid = original.keys.first!
            func mutated(_ change: (inout [String: Any], inout [String: Any]) -> Void) throws -> Receipt {
                var entry = original[uuid] as! [String: Any]
                var verification = entry["verification"] as! [String: Any]
                change(&entry, &verification)
                entry["verification"] = verification
                return try Receipt.parse(Array(try JSONSerialization.data(withJSONObject: [uuid: entry])))[0]
            }
            func flip(_ base64: String, at position: Int) -> String {
                var bytes = Array(Data(base64Encoded: base64)!)
                bytes[position] ^= 1
                return Data(bytes).base64EncodedString()
            }
            let cases: [(String, Set<String>, (inout [String: Any], inout [String: Any]) -> Void)] = [
                ("set-byte", ["signed-entry-timestamp"], { _, v in v["signedEntryTimestamp"] = flip(v["signedEntryTimestamp"] as! String, at: 12) }),
                ("log-index", ["signed-entry-timestamp"], { e, _ in e["logIndex"] = (e["logIndex"] as! Int) + 1 }),
                ("proof-root", ["inclusion-proof", "checkpoint"], { _, v in
                    var proof = v["inclusionProof"] as! [String: Any]
                    proof["rootHash"] = String(repeating: "0", count: 64)
                    v["inclusionProof"] = proof
                }),
                ("checkpoint-signature", ["checkpoint"], { _, v in
                    var proof = v["inclusionProof"] as! [String: Any]
                    var note = proof["checkpoint"] as! String
                    let last = note.index(note.endIndex, offsetBy: -8)
                    note.replaceSubrange(last...last, with: note[last] == "A" ? "B" : "A")
                    proof["checkpoint"] = note
                    v["inclusionProof"] = proof
                }),
            ]
            for (name, expected, change) in cases {
                #expect(Self.failed(verifier.verify(try mutated(change), artifact: artifact)) == expected, "\(name)")
            }
            let otherArtifact = verifier.verify(try Receipt.parse(receipts[0].1)[0], artifact: Array("another file".utf8))
            #expect(Self.failed(otherArtifact) == ["artifact"])
            // A receipt checked with another log's key fails on the log ID, SET and checkpoint.
            let stranger = ReceiptVerifier(key: try LogKey(pem: P256.Signing.PrivateKey().publicKey.pemRepresentation))
            #expect(Self.failed(stranger.verify(try Receipt.parse(receipts[0].1)[0])) == ["log-id", "signed-entry-timestamp", "checkpoint"])
        }
    }
}
