import Crypto
import Foundation
import SwiftASN1
import Testing
import VellumMerkle
import X509

/// An entry signed under a Fulcio-like certificate (email and URI SANs) is found by email and
/// by certificate subject, alone and combined with `and`, and its body carries the certificate.
@Suite struct ServerCertificateSearchTests {
    static func certificate(for key: P256.Signing.PrivateKey, email: String, uri: String) throws -> String {
        let name = try DistinguishedName { CommonName("vellum test signer") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-600), notValidAfter: now.addingTimeInterval(600),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                KeyUsage(digitalSignature: true)
                SubjectAlternativeNames([.rfc822Name(email), .uniformResourceIdentifier(uri)])
            },
            issuerPrivateKey: .init(key))
        return try certificate.serializeAsPEM().pemString + "\n"
    }

    @Test func certificateEntriesAreFoundByEmailAndSubject() async throws {
        try await TestServer.with { server in
            let key = P256.Signing.PrivateKey()
            let uri = "https://github.com/vellum/example/.github/workflows/release.yml@refs/heads/main"
            let pem = try Self.certificate(for: key, email: "Signer@Example.TEST", uri: uri)
            let digest = SHA256.hash(data: Array("certificate artifact \(UUID())".utf8))
            let signature = Data(try key.signature(for: digest).derRepresentation)
            let digestHex = Hash(Array(digest))!.hex
            let request = TestSigner.hashedrekord(signature: signature, publicKeyPEM: pem, algorithm: "sha256", digest: digestHex)
            let response = try await server.client.post("/api/v1/log/entries", json: request)
            #expect(response.status == 201, "\(response.text)")
            let entryID = try #require(response.headers["etag"])
            // An unrelated entry, so the searches have something to leave out.
            _ = try await server.client.post("/api/v1/log/entries", json: try TestSigner().request("other").request)

            // The logged body holds the certificate, re-encoded canonically.
            let logged = try #require(try response.object()[entryID] as? [String: Any])
            let body = try JSONSerialization.jsonObject(with: Data(base64Encoded: logged["body"] as! String)!) as! [String: Any]
            let content = ((body["spec"] as! [String: Any])["signature"] as! [String: Any])["publicKey"] as! [String: Any]
            #expect(String(decoding: Data(base64Encoded: content["content"] as! String)!, as: UTF8.self) == pem)

            for query: [String: Any] in [
                ["email": "signer@example.test"],
                ["email": "SIGNER@example.test"],
                ["subject": uri],
                ["subject": uri, "hash": "sha256:" + digestHex, "operator": "and"],
            ] {
                let found = try await server.client.post("/api/v1/index/retrieve", json: query)
                #expect(found.status == 200)
                #expect(try found.json() as? [String] == [entryID], "\(query)")
            }
            let miss = try await server.client.post("/api/v1/index/retrieve", json: [
                "subject": uri, "hash": "sha256:" + String(repeating: "0", count: 64), "operator": "and",
            ])
            #expect(miss.text == "[]")
        }
    }
}
