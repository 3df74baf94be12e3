import Crypto
import Foundation
import Testing
import VellumRekor

/// intoto 0.0.2 and 0.0.1 (dsse-intoto.md §2.2, §2.3, §3): bodies built here from the spec's
/// rules, the keyid rule of 0.0.1, and refusals.
@Suite struct InTotoTests {
    static let type = DSSETests.statementType

    static func hex(_ bytes: some Sequence<UInt8>) -> String { DSSETests.hex(bytes) }

    /// An intoto 0.0.2 request as sigstore-js builds it.
    static func v002(payload: [UInt8], signatures: [(sig: [UInt8], pem: String, keyid: String)],
                     hash: String? = "0123") -> JSONValue {
        var content: [String: JSONValue] = [
            "envelope": [
                "payloadType": .string(type),
                "payload": .string(Base64Text.encode(Array(Base64Text.encode(payload).utf8))),
                "signatures": .array(signatures.map { signature in
                    var fields: [String: JSONValue] = [
                        "sig": .string(Base64Text.encode(Array(Base64Text.encode(signature.sig).utf8))),
                        "publicKey": .string(Base64Text.encode(Array(signature.pem.utf8))),
                    ]
                    if !signature.keyid.isEmpty { fields["keyid"] = .string(signature.keyid) }
                    return .object(fields)
                }),
            ],
            "payloadHash": ["algorithm": "sha256", "value": .string(hex(SHA256.hash(data: payload)))],
        ]
        if let hash { content["hash"] = ["algorithm": "sha256", "value": .string(hash)] }
        return ["apiVersion": "0.0.2", "kind": "intoto", "spec": ["content": .object(content)]]
    }

    @Test func v002LogsSignaturesInClientOrderWithKeyIDsAndTheClientHash() throws {
        let first = TestSigner.p256(), second = TestSigner.p384()
        let payload = DSSETests.statement()
        let pae = DSSETests.pae(Self.type, payload)
        let sigs = [first.signMessage(pae), second.signMessage(pae)]
        // sigstore-js PEM: no final newline; kept as sent (not canonicalized) in this kind.
        let pems = [String(first.publicKeyPEM.dropLast()), second.publicKeyPEM]
        let request = Self.v002(payload: payload, signatures: [(sigs[0], pems[0], ""), (sigs[1], pems[1], "key-2")], hash: "abc")
        let entry = try ProposedEntry.canonicalize(request)
        let signature = { (i: Int, keyid: String) -> String in
            (keyid.isEmpty ? "" : #""keyid":"\#(keyid)","#)
                + #""publicKey":"\#(Base64Text.encode(Array(pems[i].utf8)))","sig":"\#(Base64Text.encode(Array(Base64Text.encode(sigs[i]).utf8)))""#
        }
        let expected = #"{"apiVersion":"0.0.2","kind":"intoto","spec":{"content":{"envelope":{"payloadType":"\#(Self.type)","signatures":[{\#(signature(0, ""))},{\#(signature(1, "key-2"))}]},"hash":{"algorithm":"sha256","value":"abc"},"payloadHash":{"algorithm":"sha256","value":"\#(Self.hex(SHA256.hash(data: payload)))"}}}}"#
        #expect(String(decoding: entry.body, as: UTF8.self) == expected)
        #expect(entry.attestation == payload)
        #expect(!entry.searchKeys.contains("sha256:abc"), "the client's hash is never indexed")
        #expect(entry.searchKeys.contains("sha1:0123456789abcdef0123456789abcdef01234567"))
    }

    @Test func v002RefusesWhatRekorRefuses() throws {
        let signer = TestSigner.p256(), stranger = TestSigner.p256()
        let payload = DSSETests.statement()
        let sig = signer.signMessage(DSSETests.pae(Self.type, payload))
        let cases: [(String, JSONValue, String)] = [
            ("no hash", Self.v002(payload: payload, signatures: [(sig, signer.publicKeyPEM, "")], hash: nil),
             "missing envelope digest"),
            ("an extra key that verifies nothing",
             Self.v002(payload: payload, signatures: [(sig, signer.publicKeyPEM, ""), (sig, stranger.publicKeyPEM, "")]),
             "could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1"),
            ("no signatures", Self.v002(payload: payload, signatures: []),
             "validation failure list:\ncontent.envelope.signatures in body is required"),
            ("no content", ["apiVersion": "0.0.2", "kind": "intoto", "spec": [:]],
             "validation failure list:\ncontent in body is required"),
            ("payload not base64", DSSETests.setting(Self.v002(payload: payload, signatures: [(sig, signer.publicKeyPEM, "")]), "content",
                                                     to: ["envelope": ["payloadType": "x", "payload": "%%", "signatures": []]]),
             "failed parsing base64 data for payload: illegal base64 data at input byte 0"),
        ]
        for (name, request, message) in cases {
            do {
                _ = try ProposedEntry.canonicalize(request)
                Issue.record("\(name): accepted")
            } catch {
                #expect(error.apiError.status == 400, "\(name)")
                #expect(error.apiError.message.hasPrefix("error processing entry: " + message), "\(name): \(error.apiError.message)")
            }
        }
    }

    /// A cosign intoto 0.0.1 request.
    static func v001(envelope: String, pem: String) -> JSONValue {
        ["apiVersion": "0.0.1", "kind": "intoto",
         "spec": ["content": ["envelope": .string(envelope)], "publicKey": .string(Base64Text.encode(Array(pem.utf8)))]]
    }

    @Test func v001LogsBothServerHashesAndTheCanonicalKey() throws {
        let signer = TestSigner.p256()
        let payload = DSSETests.statement()
        let sig = Base64Text.encode(signer.signMessage(DSSETests.pae(Self.type, payload)))
        let envelope = DSSETests.envelopeText(payload: payload, sigs: [("", sig)])
        let entry = try ProposedEntry.canonicalize(Self.v001(envelope: envelope, pem: signer.publicKeyPEM))
        let expected = #"{"apiVersion":"0.0.1","kind":"intoto","spec":{"content":{"hash":{"algorithm":"sha256","value":"\#(Self.hex(SHA256.hash(data: Array(envelope.utf8))))"},"payloadHash":{"algorithm":"sha256","value":"\#(Self.hex(SHA256.hash(data: payload)))"}},"publicKey":"\#(Base64Text.encode(Array(signer.publicKeyPEM.utf8)))"}}"#
        #expect(String(decoding: entry.body, as: UTF8.self) == expected)
        #expect(entry.attestation == payload)
    }

    /// sigstore's DSSE verifier skips a signature whose keyid is set and is not the key's SSH
    /// SHA-256 fingerprint (`ssh-keygen -lf`), computed here from the OpenSSH wire format.
    @Test func v001KeyIDsMustBeTheKeysSSHFingerprint() throws {
        let signer = TestSigner.p256()
        let payload = DSSETests.statement()
        let sig = Base64Text.encode(signer.signMessage(DSSETests.pae(Self.type, payload)))
        guard case .p256(let key) = signer.key else { return }
        let point = Array(key.publicKey.x963Representation)
        func string(_ bytes: [UInt8]) -> [UInt8] {
            [UInt8(bytes.count >> 24), UInt8(bytes.count >> 16 & 0xFF), UInt8(bytes.count >> 8 & 0xFF), UInt8(bytes.count & 0xFF)] + bytes
        }
        let wire = string(Array("ecdsa-sha2-nistp256".utf8)) + string(Array("nistp256".utf8)) + string(point)
        let fingerprint = "SHA256:" + Base64Text.encode(Array(SHA256.hash(data: wire))).replacingOccurrences(of: "=", with: "")
        let right = DSSETests.envelopeText(payload: payload, sigs: [(fingerprint, sig)])
        #expect(throws: Never.self) { try ProposedEntry.canonicalize(Self.v001(envelope: right, pem: signer.publicKeyPEM)) }
        let wrong = DSSETests.envelopeText(payload: payload, sigs: [("SHA256:not-this-key", sig)])
        let error = #expect(throws: RekorEntryError.self) {
            try ProposedEntry.canonicalize(Self.v001(envelope: wrong, pem: signer.publicKeyPEM))
        }
        #expect(error?.apiError.message == "error processing entry: could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1")
    }
}
