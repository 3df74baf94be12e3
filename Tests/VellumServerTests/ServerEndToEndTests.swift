import Crypto
import Foundation
import Testing
import VellumMerkle
import VellumNote
@testable import VellumServer

@Suite struct ServerEndToEndTests {
    /// The log's key and tree ID as any client learns them: from the API.
    static func checks(_ server: TestServer) async throws -> ResponseChecks {
        let pem = try await server.client.get("/api/v1/log/publicKey")
        #expect(pem.status == 200)
        #expect(pem.headers["content-type"] == "application/x-pem-file")
        let info = try await server.client.get("/api/v1/log").object()
        let treeID = try #require(info["treeID"] as? String)
        return ResponseChecks(publicKey: try P256.Signing.PublicKey(pemRepresentation: pem.text), hostname: "vellum.test",
                              treeID: treeID)
    }

    @Test func uploadsAreFetchedRetrievedSearchedAndProvenConsistent() async throws {
        try await TestServer.with { server in
            let client = server.client
            let checks = try await Self.checks(server)
            let signer = TestSigner()
            var entries: [ResponseChecks.Entry] = []
            var digests: [String] = []
            var sizes: [UInt64: Hash] = [:]
            for number in 0..<6 {
                let (request, digest) = try signer.request("e2e \(number)")
                let response = try await client.post("/api/v1/log/entries", json: request)
                #expect(response.status == 201, "\(response.text)")
                let entry = try checks.verifyLogEntry(try response.json())
                #expect(response.headers["etag"] == entry.entryID)
                #expect(response.headers["location"] == "/api/v1/log/entries/\(entry.entryID)")
                #expect(entry.logIndex == UInt64(number))
                entries.append(entry)
                digests.append(digest)
                sizes[entry.treeSize] = entry.rootHash
            }

            // LogInfo's signed tree head.
            let info = try await client.get("/api/v1/log").object()
            let head = try checks.verifyV1Checkpoint(try #require(info["signedTreeHead"] as? String))
            #expect(head.size == 6 && info["treeSize"] as? Int == 6 && info["rootHash"] as? String == head.root.hex)
            sizes[head.size] = head.root

            for entry in entries {
                // By 80-hex ID, by 64-hex UUID, by index: the same entry, proven against the latest checkpoint.
                for path in ["/api/v1/log/entries/\(entry.entryID)", "/api/v1/log/entries/\(entry.entryID.suffix(64))",
                             "/api/v1/log/entries?logIndex=\(entry.logIndex)"] {
                    let response = try await client.get(path)
                    #expect(response.status == 200, "\(path): \(response.status)")
                    let fetched = try checks.verifyLogEntry(try response.json())
                    #expect(fetched.entryID == entry.entryID && fetched.body == entry.body)
                    #expect(fetched.integratedTime == entry.integratedTime && fetched.treeSize == 6)
                }
            }

            // Retrieve by UUIDs, indexes and the proposed entry itself; misses are left out.
            let retrieved = try await client.post("/api/v1/log/entries/retrieve/", json: [
                "entryUUIDs": [entries[0].entryID, String(repeating: "ab", count: 32)], "logIndexes": [1, 99],
            ])
            #expect(retrieved.status == 200)
            let list = try #require(try retrieved.json() as? [Any])
            #expect(try list.map { try checks.verifyLogEntry($0).logIndex }.sorted() == [0, 1])
            let none = try await client.post("/api/v1/log/entries/retrieve", json: ["logIndexes": [1000]])
            #expect(none.status == 200 && none.text == "[]")

            // Search index: digest, public key, and `and` of the two.
            let byHash = try await client.post("/api/v1/index/retrieve", json: ["hash": "sha256:" + digests[2]])
            #expect(try byHash.json() as? [String] == [entries[2].entryID])
            let keyContent = Data(signer.publicKeyPEM.utf8).base64EncodedString()
            let byKey = try await client.post("/api/v1/index/retrieve", json: ["publicKey": ["format": "x509", "content": keyContent]])
            #expect(Set(try #require(try byKey.json() as? [String])) == Set(entries.map(\.entryID)))
            let both = try await client.post("/api/v1/index/retrieve", json: [
                "publicKey": ["format": "x509", "content": keyContent], "hash": digests[4], "operator": "and",
            ])
            #expect(try both.json() as? [String] == [entries[4].entryID])

            // Consistency proofs between every pair of signed sizes seen.
            for (first, firstRoot) in sizes {
                for (last, lastRoot) in sizes where first <= last {
                    let response = try await client.get("/api/v1/log/proof?firstSize=\(first)&lastSize=\(last)")
                    #expect(response.status == 200)
                    let proof = try response.object()
                    let hashes = try #require(proof["hashes"] as? [String]).map { try #require(Hash(hex: $0)) }
                    #expect(proof["rootHash"] as? String == lastRoot.hex)
                    try ConsistencyProof.verify(oldSize: first, newSize: last, oldRoot: firstRoot, newRoot: lastRoot, proof: hashes)
                }
            }
        }
    }

    @Test func tilesAndCheckpointServeTheSameTree() async throws {
        try await TestServer.with { server in
            let client = server.client
            let checks = try await Self.checks(server)
            let signer = TestSigner()
            var bodies: [[UInt8]] = []
            for number in 0..<3 {
                let response = try await client.post("/api/v1/log/entries", json: try signer.request("tiles \(number)").request)
                bodies.append(try checks.verifyLogEntry(try response.json()).body)
            }
            let checkpointResponse = try await client.get("/checkpoint")
            #expect(checkpointResponse.status == 200)
            #expect(checkpointResponse.headers["cache-control"] == "no-store")
            // A C2SP note: the Ed25519 line first, verifiable with the note key; the ECDSA one too.
            let ed25519 = try Ed25519NoteVerifier(verifierKey: server.log.noteVerifierKey)
            let ecdsa = try ECDSANoteVerifier(name: "vellum.test", publicKey: checks.publicKey)
            let text = checkpointResponse.text
            let checkpoint = try Checkpoint.open(text, verifiers: [ed25519]).checkpoint
            #expect(try Checkpoint.open(text, verifiers: [ecdsa]).checkpoint == checkpoint)
            #expect(checkpoint.size == 3 && checkpoint.origin == checks.origin)

            let tile = try await client.get("/tile/0/000.p/3")
            #expect(tile.status == 200 && tile.body.count == 96)
            #expect(tile.headers["cache-control"]?.contains("immutable") == false)
            let leaves = stride(from: 0, to: 96, by: 32).map { Hash(tile.body[$0..<$0 + 32])! }
            #expect(leaves == bodies.map { RFC6962.leafHash($0) })
            #expect(RFC6962.nodeHash(left: RFC6962.nodeHash(left: leaves[0], right: leaves[1]), right: leaves[2]) == checkpoint.root)

            let bundle = try await client.get("/tile/entries/000.p/3")
            #expect(bundle.status == 200)
            #expect(try EntryBundle(parsing: bundle.body).entries == bodies)
            let narrower = try await client.get("/tile/entries/000.p/2")
            #expect(try EntryBundle(parsing: narrower.body).entries == Array(bodies.prefix(2)))

            for (path, status) in [("/tile/0/000", 404), ("/tile/0/000.p/4", 404), ("/tile/1/000.p/1", 404),
                                   ("/tile/entries/001", 404), ("/tile/0/0000", 400), ("/tile/0/000.p/0", 400),
                                   ("/tile/x/000", 400), ("/tile/0/x000/001", 400), ("/tile/entries/000.p/256", 400)] {
                let response = try await client.get(path)
                #expect(response.status == status, "\(path)")
                let error = try response.object()
                #expect(error["code"] as? Int == status && error["message"] is String, "\(path)")
            }
        }
    }
}
