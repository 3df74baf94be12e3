import Crypto
import Foundation
import Testing
import VellumMerkle
@testable import VellumServer

/// dsse and intoto entries through the HTTP API: receipts as for hashedrekord, search by subject
/// digest (any algorithm), e-mail and key, attestation storage, bad input, and a restart.
@Suite struct ServerAttestationTests {
    static let statementType = "application/vnd.in-toto+json"

    /// An in-toto statement about one artifact, with a sha256 and a sha512 digest of it.
    static func statement(_ tag: String) -> (bytes: [UInt8], sha256: String, sha512: String) {
        let artifact = Array("artifact \(tag) \(UUID().uuidString)".utf8)
        let sha256 = Hash(Array(SHA256.hash(data: artifact)))!.hex
        let sha512 = SHA512.hash(data: artifact).map { String(format: "%02x", $0) }.joined()
        let text = #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"\#(tag)","digest":{"sha256":"\#(sha256)","sha512":"\#(sha512)"}}],"predicateType":"https://example.com/test","predicate":{}}"#
        return (Array(text.utf8), sha256, sha512)
    }

    static func pae(_ payload: [UInt8]) -> [UInt8] {
        Array("DSSEv1 \(statementType.utf8.count) \(statementType) \(payload.count) ".utf8) + payload
    }

    /// A dsse request as sigstore-python sends it.
    static func dsse(_ signer: TestSigner, payload: [UInt8], pem: String? = nil) throws -> [String: Any] {
        let sig = try signer.key.signature(for: SHA256.hash(data: pae(payload))).derRepresentation.base64EncodedString()
        let envelope = #"{"payload":"\#(Data(payload).base64EncodedString())","payloadType":"\#(statementType)","signatures":[{"keyid":"","sig":"\#(sig)"}]}"#
        return ["apiVersion": "0.0.1", "kind": "dsse",
                "spec": ["proposedContent": ["envelope": envelope,
                                             "verifiers": [Data((pem ?? signer.publicKeyPEM).utf8).base64EncodedString()]],
                         "signatures": NSNull(), "envelopeHash": NSNull(), "payloadHash": NSNull()]]
    }

    /// An intoto 0.0.2 request as sigstore-js sends it (double base64, its own `hash`).
    static func intoto(_ signer: TestSigner, payload: [UInt8]) throws -> [String: Any] {
        let sig = try signer.key.signature(for: SHA256.hash(data: pae(payload))).derRepresentation.base64EncodedString()
        let payloadText = Data(payload).base64EncodedString()
        let hash = Hash(Array(SHA256.hash(data: Array("client hash of \(payloadText)".utf8))))!.hex
        return ["apiVersion": "0.0.2", "kind": "intoto",
                "spec": ["content": [
                    "envelope": ["payloadType": statementType,
                                 "payload": Data(payloadText.utf8).base64EncodedString(),
                                 "signatures": [["sig": Data(sig.utf8).base64EncodedString(),
                                                 "publicKey": Data(signer.publicKeyPEM.utf8).base64EncodedString()]]],
                    "hash": ["algorithm": "sha256", "value": hash],
                    "payloadHash": ["algorithm": "sha256", "value": Hash(Array(SHA256.hash(data: payload)))!.hex]]]]
    }

    static func search(_ client: HTTPTestClient, _ query: [String: Any]) async throws -> Set<String> {
        let response = try await client.post("/api/v1/index/retrieve", json: query)
        #expect(response.status == 200, "\(response.text)")
        return Set(try response.json() as? [String] ?? [])
    }

    @Test func attestationsAreLoggedFoundStoredAndKeptAcrossARestart() async throws {
        let directory = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let signer = TestSigner()
        let dsseStatement = Self.statement("dsse"), intotoStatement = Self.statement("intoto")
        let keyHash = Hash(Array(SHA256.hash(data: Array(signer.publicKeyPEM.utf8))))!.hex
        let ids: [String] = try await TestServer.with(dataDirectory: directory, configure: { $0.attestationStorage = true }) { server in
            let client = server.client
            let checks = try await ServerEndToEndTests.checks(server)
            var ids: [String] = []
            for request in [try Self.dsse(signer, payload: dsseStatement.bytes), try Self.intoto(signer, payload: intotoStatement.bytes)] {
                let created = try await client.post("/api/v1/log/entries", json: request)
                #expect(created.status == 201, "\(created.text)")
                let entry = try checks.verifyLogEntry(try created.json())
                #expect(!(try created.object().values.first as! [String: Any]).keys.contains("attestation"),
                        "the create answer never carries the attestation")
                ids.append(entry.entryID)
                let again = try await client.post("/api/v1/log/entries", json: request)
                #expect(again.status == 409)
                #expect(again.headers["location"] == "/api/v1/log/entries/\(entry.entryID)")
            }
            // Found by subject digest whatever the algorithm, and by key (hash or key search).
            #expect(try await Self.search(client, ["hash": "sha512:\(dsseStatement.sha512)"]) == [ids[0]])
            #expect(try await Self.search(client, ["hash": "sha256:\(intotoStatement.sha256)"]) == [ids[1]])
            #expect(try await Self.search(client, ["hash": "sha256:\(keyHash)"]) == Set(ids))
            let keyQuery: [String: Any] = ["publicKey": ["format": "x509", "content": Data(signer.publicKeyPEM.utf8).base64EncodedString()]]
            #expect(try await Self.search(client, keyQuery) == Set(ids))
            return ids
        }
        // After a restart: the intoto entry comes back with its statement, the dsse one without.
        try await TestServer.with(dataDirectory: directory, configure: { $0.attestationStorage = true }) { server in
            let client = server.client
            let dsse = try await client.get("/api/v1/log/entries/\(ids[0])").object()
            #expect((dsse[ids[0]] as? [String: Any])?["attestation"] == nil)
            let intoto = try await client.get("/api/v1/log/entries/\(ids[1])").object()
            let data = ((intoto[ids[1]] as? [String: Any])?["attestation"] as? [String: Any])?["data"] as? String
            #expect(data.flatMap { Data(base64Encoded: $0) }.map(Array.init) == intotoStatement.bytes)
            let byIndex = try await client.get("/api/v1/log/entries?logIndex=1").object()
            #expect(((byIndex[ids[1]] as? [String: Any])?["attestation"] as? [String: Any]) != nil)
            #expect(try await Self.search(client, ["hash": "sha512:\(dsseStatement.sha512)"]) == [ids[0]])
        }
    }

    @Test func attestationsSignedUnderACertificateAreFoundByItsNames() async throws {
        try await TestServer.with { server in
            let signer = TestSigner()
            let uri = "https://github.com/vellum/example/.github/workflows/attest.yml@refs/heads/main"
            let pem = try ServerCertificateSearchTests.certificate(for: signer.key, email: "Attester@Example.TEST", uri: uri)
            var intoto = try Self.intoto(signer, payload: Self.statement("cert intoto").bytes)
            var spec = intoto["spec"] as! [String: Any], content = spec["content"] as! [String: Any]
            var envelope = content["envelope"] as! [String: Any]
            var signatures = envelope["signatures"] as! [[String: Any]]
            signatures[0]["publicKey"] = Data(pem.utf8).base64EncodedString()
            envelope["signatures"] = signatures; content["envelope"] = envelope; spec["content"] = content; intoto["spec"] = spec
            var ids: Set<String> = []
            for request in [try Self.dsse(signer, payload: Self.statement("cert dsse").bytes, pem: pem), intoto] {
                let created = try await server.client.post("/api/v1/log/entries", json: request)
                #expect(created.status == 201, "\(created.text)")
                ids.insert(try #require(created.headers["etag"]))
            }
            // Signed by the same key without the certificate: found by key, never by the names.
            let bare = try await server.client.post("/api/v1/log/entries", json: try Self.dsse(signer, payload: Self.statement("bare").bytes))
            #expect(bare.status == 201, "\(bare.text)")
            #expect(try await Self.search(server.client, ["email": "attester@example.test"]) == ids)
            #expect(try await Self.search(server.client, ["subject": uri]) == ids)
            #expect(try await Self.search(server.client, ["email": "someone@example.test"]) == [])
        }
    }

    @Test func withoutAttestationStorageNoStatementIsKeptOrReturned() async throws {
        try await TestServer.with { server in
            let created = try await server.client.post("/api/v1/log/entries", json: try Self.intoto(TestSigner(), payload: Self.statement("x").bytes))
            #expect(created.status == 201)
            let id = try #require(try created.object().keys.first)
            let read = try await server.client.get("/api/v1/log/entries/\(id)").object()
            #expect((read[id] as? [String: Any])?["attestation"] == nil)
            #expect(try server.log.storage.attachment(index: 0) == nil)
        }
    }

    @Test func statementsOverTheLimitAreNotKeptButTheEntryIsLogged() async throws {
        try await TestServer.with(configure: { $0.attestationStorage = true; $0.maxAttestationBytes = 64 }) { server in
            let created = try await server.client.post("/api/v1/log/entries", json: try Self.intoto(TestSigner(), payload: Self.statement("big").bytes))
            #expect(created.status == 201)
            #expect(try server.log.storage.attachment(index: 0) == nil)
        }
    }

    @Test func badAttestationsGetAJSONErrorAndChangeNothing() async throws {
        try await TestServer.with { server in
            let client = server.client
            let signer = TestSigner(), stranger = TestSigner()
            var unsigned = try Self.dsse(signer, payload: Self.statement("a").bytes, pem: stranger.publicKeyPEM)
            let cases: [(String, [String: Any], Int)] = [
                ("wrong key", unsigned, 400),
                ("intoto without hash", {
                    var request = try! Self.intoto(signer, payload: Self.statement("b").bytes)
                    var spec = request["spec"] as! [String: Any]
                    var content = spec["content"] as! [String: Any]
                    content["hash"] = nil
                    spec["content"] = content
                    request["spec"] = spec
                    return request
                }(), 400),
                ("unknown dsse version", { unsigned["apiVersion"] = "0.0.2"; return unsigned }(), 400),
                ("intoto 0.0.3", ["apiVersion": "0.0.3", "kind": "intoto", "spec": [:]], 400),
            ]
            for (name, request, status) in cases {
                let response = try await client.post("/api/v1/log/entries", json: request)
                #expect(response.status == status, "\(name): \(response.text)")
                let error = try response.object()
                #expect(error["code"] as? Int == status && (error["message"] as? String)?.isEmpty == false, "\(name): \(error)")
            }
            #expect(try server.log.latestSize() == 0)
        }
    }
}
