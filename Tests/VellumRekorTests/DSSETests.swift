import Crypto
import Foundation
import Testing
import VellumRekor
import _CryptoExtras

/// dsse 0.0.1 (dsse-intoto.md §2.1, §3, §4): requests shaped as sigstore-python, sigstore-js
/// and Go clients send them; bodies compared with bodies built here from the spec's rules.
@Suite struct DSSETests {
    static let statementType = "application/vnd.in-toto+json"

    /// An in-toto statement about one artifact with a sha256 and a sha512 digest, and a
    /// material (SLSA v0.2 provenance).
    static func statement(name: String = "artifact.tar.gz") -> [UInt8] {
        let sha256 = String(repeating: "ab", count: 32), sha512 = String(repeating: "CD", count: 64)
        return Array(#"{"_type":"https://in-toto.io/Statement/v0.1","subject":[{"name":"\#(name)","digest":{"sha256":"\#(sha256)","sha512":"\#(sha512)"}}],"predicateType":"https://slsa.dev/provenance/v0.2","predicate":{"materials":[{"uri":"git+https://example.com/repo","digest":{"sha1":"0123456789abcdef0123456789abcdef01234567"}}]}}"#.utf8)
    }

    /// The DSSE PAE, written out independently of the code under test.
    static func pae(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        Array("DSSEv1 \(type.utf8.count) \(type) \(payload.count) ".utf8) + payload
    }

    /// An envelope's JSON text, keys in sigstore-js order.
    static func envelopeText(payload: [UInt8], type: String = statementType, sigs: [(keyid: String, sig: String)]) -> String {
        let signatures = sigs.map { #"{"sig":"\#($0.sig)","keyid":"\#($0.keyid)"}"# }.joined(separator: ",")
        return #"{"payload":"\#(Base64Text.encode(payload))","payloadType":"\#(type)","signatures":[\#(signatures)]}"#
    }

    /// A dsse request as sigstore-python sends it: `null` for the committed-entry fields.
    static func request(envelope: String, verifiers: [String], nulls: Bool = true) -> JSONValue {
        var spec: [String: JSONValue] = [
            "proposedContent": ["envelope": .string(envelope), "verifiers": .array(verifiers.map { .string($0) })],
        ]
        if nulls {
            spec["signatures"] = .null
            spec["envelopeHash"] = .null
            spec["payloadHash"] = .null
        }
        return ["apiVersion": "0.0.1", "kind": "dsse", "spec": .object(spec)]
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// The canonical dsse body, from the rules of dsse-intoto.md §3.
    static func expectedBody(envelope: String, payload: [UInt8], signatures: [(sig: String, pem: String)]) -> String {
        let sorted = signatures.sorted { $0.sig.utf8.lexicographicallyPrecedes($1.sig.utf8) }
        let list = sorted.map { #"{"signature":"\#($0.sig)","verifier":"\#(Base64Text.encode(Array($0.pem.utf8)))"}"# }
        return #"{"apiVersion":"0.0.1","kind":"dsse","spec":{"envelopeHash":{"algorithm":"sha256","value":"\#(hex(SHA256.hash(data: Array(envelope.utf8))))"},"payloadHash":{"algorithm":"sha256","value":"\#(hex(SHA256.hash(data: payload)))"},"signatures":[\#(list.joined(separator: ","))]}}"#
    }

    @Test(arguments: ["p256", "p384", "p521", "rsa2048", "ed25519"])
    func logsEveryKeyTypeWithTheSpecsBody(keyType: String) throws {
        let signer: TestSigner = switch keyType {
        case "p256": .p256()
        case "p384": .p384()
        case "p521": .p521()
        case "rsa2048": .rsa(bits: 2048)
        default: .ed25519()
        }
        let payload = Self.statement()
        let sig = Base64Text.encode(signer.signMessage(Self.pae(Self.statementType, payload)))
        let envelope = Self.envelopeText(payload: payload, sigs: [("", sig)])
        let entry = try ProposedEntry.canonicalize(Self.request(envelope: envelope, verifiers: [Base64Text.encode(Array(signer.publicKeyPEM.utf8))]))
        #expect(String(decoding: entry.body, as: UTF8.self)
                == Self.expectedBody(envelope: envelope, payload: payload, signatures: [(sig, signer.publicKeyPEM)]))
        #expect(entry.attestation == nil)
        let keyHash = Self.hex(SHA256.hash(data: Array(signer.publicKeyPEM.utf8)))
        for key in ["sha256:\(keyHash)", "sha256:\(Self.hex(SHA256.hash(data: payload)))",
                    "sha256:\(Self.hex(SHA256.hash(data: Array(envelope.utf8))))",
                    "sha256:" + String(repeating: "ab", count: 32), "sha512:" + String(repeating: "cd", count: 64),
                    "sha1:0123456789abcdef0123456789abcdef01234567"] {
            #expect(entry.searchKeys.contains(key), "\(key)")
        }
    }

    @Test func ecdsaSignaturesMayBeRawAndTheEnvelopeMayComeFromAGoClient() throws {
        let signer = TestSigner.p256()
        let payload = Array("not a statement".utf8)
        let sig = Base64Text.encode(signer.signMessage(Self.pae("text/plain", payload), raw: true))
        // Go clients: keyid first, `"signatures":null` only.
        let envelope = #"{"payloadType":"text/plain","payload":"\#(Base64Text.encode(payload))","signatures":[{"keyid":"","sig":"\#(sig)"}]}"#
        var request = Self.request(envelope: envelope, verifiers: [Base64Text.encode(Array(signer.publicKeyPEM.utf8))], nulls: false)
        request = Self.setting(request, "signatures", to: .null)
        let entry = try ProposedEntry.canonicalize(request)
        #expect(String(decoding: entry.body, as: UTF8.self)
                == Self.expectedBody(envelope: envelope, payload: payload, signatures: [(sig, signer.publicKeyPEM)]))
        // Not an in-toto payload type: no statement digests.
        #expect(entry.searchKeys.count == 3)
    }

    @Test func signaturesAreSortedAndEachNeedsItsOwnKeyListing() throws {
        let first = TestSigner.p256(), second = TestSigner.p256()
        let payload = Self.statement()
        let pae = Self.pae(Self.statementType, payload)
        let sigs = [Base64Text.encode(first.signMessage(pae)), Base64Text.encode(second.signMessage(pae))]
        let envelope = Self.envelopeText(payload: payload, sigs: [("", sigs[0]), ("k2", sigs[1])])
        let verifiers = [second, first].map { Base64Text.encode(Array($0.publicKeyPEM.utf8)) }
        let entry = try ProposedEntry.canonicalize(Self.request(envelope: envelope, verifiers: verifiers))
        #expect(String(decoding: entry.body, as: UTF8.self)
                == Self.expectedBody(envelope: envelope, payload: payload,
                                     signatures: [(sigs[0], first.publicKeyPEM), (sigs[1], second.publicKeyPEM)]))
        // A verifier listed after every signature has a key is never looked at (garbage there passes).
        let extra = Self.request(envelope: envelope, verifiers: verifiers + [Base64Text.encode(Array("junk".utf8))])
        #expect(try ProposedEntry.canonicalize(extra).body == entry.body)
    }

    @Test func certificateVerifiersAreLoggedAsCanonicalPEMAndIndexedByTheirNames() throws {
        let ca = TestSigner.p256(), leaf = TestSigner.p256()
        let certificate = try TestCertificates.make(subject: "leaf", key: leaf, issuer: ("ca", ca), isCA: false,
                                                    sans: [.rfc822Name("alice@example.com"), .uniformResourceIdentifier("https://ci.example.com/workflow")])
        let pem = try TestCertificates.pem([certificate])
        let payload = Self.statement()
        let sig = Base64Text.encode(leaf.signMessage(Self.pae(Self.statementType, payload)))
        let envelope = Self.envelopeText(payload: payload, sigs: [("", sig)])
        // sigstore-js sends PEM without its final newline; the body has Go's canonical PEM.
        let sent = String(pem.dropLast())
        let entry = try ProposedEntry.canonicalize(Self.request(envelope: envelope, verifiers: [Base64Text.encode(Array(sent.utf8))]))
        #expect(String(decoding: entry.body, as: UTF8.self)
                == Self.expectedBody(envelope: envelope, payload: payload, signatures: [(sig, pem)]))
        #expect(entry.searchKeys.contains("alice@example.com"))
        #expect(entry.searchKeys.contains("https://ci.example.com/workflow"))
    }

    /// Refused requests: each a 400 whose message says what is wrong, in Rekor's words.
    @Test func refusesWhatRekorRefuses() throws {
        let signer = TestSigner.p256(), stranger = TestSigner.p256()
        let payload = Self.statement()
        let pae = Self.pae(Self.statementType, payload)
        let sig = Base64Text.encode(signer.signMessage(pae))
        let good = Self.envelopeText(payload: payload, sigs: [("", sig)])
        let key = Base64Text.encode(Array(signer.publicKeyPEM.utf8))
        let strangerKey = Base64Text.encode(Array(stranger.publicKeyPEM.utf8))
        let cases: [(String, JSONValue, String)] = [
            ("no verifiers", Self.request(envelope: good, verifiers: []),
             "validation failure list:\nproposedContent.verifiers in body is required"),
            ("verifier not base64", Self.request(envelope: good, verifiers: ["%%%"]),
             "failed parsing base64 data for verifier: illegal base64 data at input byte 0"),
            ("verifier not a key", Self.request(envelope: good, verifiers: [Base64Text.encode(Array("junk".utf8))]),
             "could not parse public key as x509: "),
            ("envelope not JSON", Self.request(envelope: "{", verifiers: [key]), ""),
            ("envelope an array", Self.request(envelope: "[]", verifiers: [key]),
             "json: cannot unmarshal array into Go value of type dsse.Envelope"),
            ("no signatures", Self.request(envelope: Self.envelopeText(payload: payload, sigs: []), verifiers: [key]),
             "DSSE envelope must contain 1 or more signatures"),
            ("wrong key first", Self.request(envelope: good, verifiers: [strangerKey, key]),
             "could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1"),
            ("payload not base64", Self.request(envelope: #"{"payload":"%%","payloadType":"x","signatures":[{"sig":"\#(sig)"}]}"#, verifiers: [key]),
             "could not verify envelope: unable to base64 decode payload (is payload in the right format?)"),
            ("signature over another payload",
             Self.request(envelope: Self.envelopeText(payload: Array("other".utf8), sigs: [("", sig)]), verifiers: [key]),
             "could not verify envelope: accepted signatures do not match threshold, Found: 0, Expected 1"),
            ("a signature without a key",
             Self.request(envelope: Self.envelopeText(payload: payload, sigs: [("", sig), ("", Base64Text.encode(stranger.signMessage(pae)))]),
                          verifiers: [key]),
             "all signatures must have a key that verifies it"),
            ("hashes beside proposed content", Self.setting(Self.request(envelope: good, verifiers: [key]), "payloadHash",
                                                            to: ["algorithm": "sha256", "value": "00"]),
             "either proposedContent or envelopeHash, payloadHash, and signatures must be present but not both"),
            ("a bad hash algorithm", Self.setting(Self.request(envelope: good, verifiers: [key]), "envelopeHash",
                                                  to: ["algorithm": "SHA256", "value": "00"]),
             "validation failure list:\nenvelopeHash.algorithm in body should be one of [sha256]"),
            ("nothing at all", ["apiVersion": "0.0.1", "kind": "dsse", "spec": [:]],
             "either proposedContent or envelopeHash, payloadHash, and signatures must be present"),
            ("a committed entry", ["apiVersion": "0.0.1", "kind": "dsse",
                                   "spec": ["envelopeHash": ["algorithm": "sha256", "value": "00"],
                                            "payloadHash": ["algorithm": "sha256", "value": "00"],
                                            "signatures": [["signature": "AAAA", "verifier": "AAAA"]]]],
             "entry not insertable into log: missing proposed content"),
            ("another version", ["apiVersion": "0.0.2", "kind": "dsse", "spec": Self.request(envelope: good, verifiers: [key])["spec"]!],
             "dsse implementation for version '0.0.2' not found: unable to locate entry for version 0.0.2"),
        ]
        for (name, request, message) in cases {
            do {
                _ = try ProposedEntry.canonicalize(request)
                Issue.record("\(name): accepted")
            } catch {
                let api = error.apiError
                #expect(api.status == 400, "\(name): \(api.status)")
                #expect(api.message.hasPrefix("error processing entry: " + message), "\(name): \(api.message)")
            }
        }
    }

    static func setting(_ request: JSONValue, _ member: String, to value: JSONValue) -> JSONValue {
        guard case .object(var top) = request, case .object(var spec)? = top["spec"] else { return request }
        spec[member] = value
        top["spec"] = .object(spec)
        return .object(top)
    }
}

extension TestSigner {
    /// Signs `message` as a DSSE signer does: ECDSA (any curve) and RSA PKCS#1 v1.5 over its
    /// SHA-256, Ed25519 over the message itself. ECDSA gives DER unless `raw`.
    func signMessage(_ message: [UInt8], raw: Bool = false) -> [UInt8] {
        switch key {
        case .ed25519(let seed):
            return Array(try! Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: message))
        default:
            return sign(SHA256.hash(data: message), raw: raw)
        }
    }
}
