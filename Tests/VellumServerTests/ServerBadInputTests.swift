import Crypto
import Foundation
import Testing
import VellumServer

/// Every bad request gets its documented status and a JSON `{code, message}`, and the tree
/// does not change.
@Suite struct ServerBadInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var method = "POST"
        var path = "/api/v1/log/entries"
        var body: [UInt8]?
        var status: Int
        /// Missing entries are a bare 404, as Rekor answers.
        var expectsJSON = true
    }

    static func mutated(_ change: (inout [String: Any]) -> Void) -> [UInt8] {
        var request = (try? TestSigner().request("bad").request) ?? [:]
        change(&request)
        return Array((try? JSONSerialization.data(withJSONObject: request)) ?? Data())
    }

    static func spec(_ request: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
        var spec = request["spec"] as! [String: Any]
        change(&spec)
        request["spec"] = spec
    }

    static let cases: [Case] = {
        let otherKey = P256.Signing.PrivateKey()
        let digest = SHA256.hash(data: Array("x".utf8))
        let wrongSignature = (try? otherKey.signature(for: digest).derRepresentation.base64EncodedString()) ?? ""
        return [
            Case(description: "malformed JSON", body: Array(#"{"kind": "hashedrekord", "#.utf8), status: 400),
            Case(description: "not an object", body: Array("[1,2]".utf8), status: 400),
            Case(description: "unknown kind", body: mutated { $0["kind"] = "nosuchkind" }, status: 422),
            Case(description: "unknown apiVersion", body: mutated { $0["apiVersion"] = "9.9.9" }, status: 400),
            Case(description: "bad signature base64", body: mutated { spec(&$0) { s in
                var signature = s["signature"] as! [String: Any]; signature["content"] = "%%%not*base64%%%"; s["signature"] = signature
            } }, status: 400),
            Case(description: "signature by another key", body: mutated { spec(&$0) { s in
                var signature = s["signature"] as! [String: Any]; signature["content"] = wrongSignature; s["signature"] = signature
            } }, status: 400),
            Case(description: "digest of wrong length", body: mutated { spec(&$0) { s in
                s["data"] = ["hash": ["algorithm": "sha256", "value": "abcd"]]
            } }, status: 400),
            Case(description: "P-256 key with sha512", body: mutated { spec(&$0) { s in
                s["data"] = ["hash": ["algorithm": "sha512", "value": String(repeating: "ab", count: 64)]]
            } }, status: 400),
            Case(description: "missing signature", body: mutated { spec(&$0) { s in s["signature"] = nil } }, status: 400),
            Case(description: "public key is garbage", body: mutated { spec(&$0) { s in
                s["signature"] = ["content": wrongSignature, "publicKey": ["content": Data("not a key".utf8).base64EncodedString()]]
            } }, status: 400),
            Case(description: "oversized body", body: Array(repeating: 0x20, count: 2 << 20), status: 413),
            Case(description: "bad UUID", method: "GET", path: "/api/v1/log/entries/xyz", status: 422),
            Case(description: "UUID of 63 hex", method: "GET", path: "/api/v1/log/entries/" + String(repeating: "a", count: 63), status: 422),
            Case(description: "unknown UUID", method: "GET", path: "/api/v1/log/entries/" + String(repeating: "a", count: 64),
                 status: 404, expectsJSON: false),
            Case(description: "negative index", method: "GET", path: "/api/v1/log/entries?logIndex=-1", status: 422),
            Case(description: "huge index", method: "GET", path: "/api/v1/log/entries?logIndex=99999999999999999999", status: 422),
            Case(description: "index beyond the tree", method: "GET", path: "/api/v1/log/entries?logIndex=9007199254740992",
                 status: 404, expectsJSON: false),
            Case(description: "missing index", method: "GET", path: "/api/v1/log/entries", status: 422),
            Case(description: "proof beyond the tree", method: "GET", path: "/api/v1/log/proof?firstSize=1&lastSize=1000", status: 400),
            Case(description: "proof sizes reversed", method: "GET", path: "/api/v1/log/proof?firstSize=2&lastSize=1", status: 400),
            Case(description: "proof without lastSize", method: "GET", path: "/api/v1/log/proof?firstSize=1", status: 422),
            Case(description: "retrieve with 11 items", path: "/api/v1/log/entries/retrieve",
                 body: Array(#"{"logIndexes":[0,1,2,3,4,5,6,7,8,9,10]}"#.utf8), status: 422),
            Case(description: "retrieve with an empty array", path: "/api/v1/log/entries/retrieve",
                 body: Array(#"{"logIndexes":[]}"#.utf8), status: 422),
            Case(description: "index search with a bad hash", path: "/api/v1/index/retrieve",
                 body: Array(#"{"hash":"sha256:xyz"}"#.utf8), status: 422),
            Case(description: "index search with an unsupported key format", path: "/api/v1/index/retrieve",
                 body: Array(#"{"publicKey":{"format":"pgp","content":"AAAA"}}"#.utf8), status: 400),
            Case(description: "bad tile path", method: "GET", path: "/tile/0/01", status: 400),
            Case(description: "tile beyond the tree", method: "GET", path: "/tile/0/005", status: 404),
        ]
    }()

    @Test func badRequestsGetTheirStatusAndAJSONErrorAndChangeNothing() async throws {
        try await TestServer.with { server in
            let client = server.client
            let seed = try await client.post("/api/v1/log/entries", json: try TestSigner().request("seed").request)
            #expect(seed.status == 201)
            let before = try await client.get("/api/v1/log").object()
            for testCase in Self.cases {
                let response = try await client.send(testCase.method, testCase.path, body: testCase.body)
                #expect(response.status == testCase.status, "\(testCase): \(response.status) \(response.text.prefix(200))")
                if testCase.expectsJSON {
                    #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "\(testCase)")
                    let error = try response.object()
                    let message = error["message"] as? String ?? ""
                    #expect(error["code"] is Int && !message.isEmpty, "\(testCase): \(response.text)")
                } else {
                    #expect(response.body.isEmpty, "\(testCase)")
                }
            }
            let after = try await client.get("/api/v1/log").object()
            #expect(after["treeSize"] as? Int == before["treeSize"] as? Int)
            #expect(after["rootHash"] as? String == before["rootHash"] as? String)
        }
    }

    @Test func aDuplicateIs409WithTheExistingEntrysLocation() async throws {
        try await TestServer.with { server in
            let request = try TestSigner().request("dup").request
            let first = try await server.client.post("/api/v1/log/entries", json: request)
            #expect(first.status == 201)
            let again = try await server.client.post("/api/v1/log/entries", json: request)
            #expect(again.status == 409)
            #expect(again.headers["location"] == first.headers["location"])
            let error = try again.object()
            #expect(error["code"] as? Int == 409)
            #expect((error["message"] as? String)?.contains(first.headers["etag"] ?? "-") == true)
            let info = try await server.client.get("/api/v1/log").object()
            #expect(info["treeSize"] as? Int == 1)
        }
    }
}
