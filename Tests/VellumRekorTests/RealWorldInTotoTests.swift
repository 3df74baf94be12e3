import Crypto
import Foundation
import Testing
import VellumMerkle
import VellumRekor
import VellumTesting

/// A real intoto 0.0.2 entry (npm provenance signed by sigstore-js 2.0.0, logged by
/// rekor.sigstore.dev at index 31,821,305): the request is rebuilt from the bundle the way
/// sigstore-js builds it (dsse-intoto.md §1.2), independently of the code under test, and the
/// body we log for it must be byte for byte the body Rekor logged.
@Suite(.enabled(if: Vectors.available, "needs ../shared/vectors"))
struct RealWorldInTotoTests {
    static let bundlePath = "upstream/sigstore_sigstore-go/pkg/testing/data/bundles/sigstore.js@2.0.0-provenance.sigstore.json"

    struct Bundle {
        let payloadType: String
        /// The DSSE payload and signature texts (standard base64), as in the bundle.
        let payload: String
        let sig: String
        let keyID: String
        /// The signing certificate as sigstore-js writes PEM: 64-column lines, no final newline.
        let certificatePEM: String
        let loggedBody: [UInt8]
    }

    static func bundle() throws -> Bundle {
        let json = try JSONValue.parse(Array(Vectors.data(bundlePath)))
        let envelope = try #require(json["dsseEnvelope"])
        let signature = try #require(envelope["signatures"]?.arrayValue?.first)
        let der = try #require(json["verificationMaterial"]?["x509CertificateChain"]?["certificates"]?.arrayValue?
            .first?["rawBytes"]?.stringValue)
        let derBase64 = Base64Text.encode(try #require(Base64Text.decode(der)))
        let lines = stride(from: 0, to: derBase64.count, by: 64).map { start -> String in
            let from = derBase64.index(derBase64.startIndex, offsetBy: start)
            return String(derBase64[from..<derBase64.index(from, offsetBy: min(64, derBase64.count - start))])
        }
        let pem = "-----BEGIN CERTIFICATE-----\n" + lines.joined(separator: "\n") + "\n-----END CERTIFICATE-----"
        let body = try #require(json["verificationMaterial"]?["tlogEntries"]?.arrayValue?.first?["canonicalizedBody"]?.stringValue)
        return Bundle(payloadType: try #require(envelope["payloadType"]?.stringValue),
                      payload: try #require(envelope["payload"]?.stringValue),
                      sig: try #require(signature["sig"]?.stringValue),
                      keyID: signature["keyid"]?.stringValue ?? "",
                      certificatePEM: pem, loggedBody: try #require(Base64Text.decode(body)))
    }

    /// A JSON string literal for `text`, escaped as RFC 8785 does (here: quotes, backslashes,
    /// line feeds; the bundle's strings hold nothing else that needs it).
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    /// sigstore-js `calculateDSSEHash`: SHA-256 of the canonical JSON of the envelope with the
    /// payload and sig as DSSE base64 and the PEM as text.
    static func sigstoreJSHash(_ bundle: Bundle) -> String {
        var signature = "{"
        if !bundle.keyID.isEmpty { signature += "\"keyid\":\(quoted(bundle.keyID))," }
        signature += "\"publicKey\":\(quoted(bundle.certificatePEM)),\"sig\":\(quoted(bundle.sig))}"
        let canonical = "{\"payload\":\(quoted(bundle.payload)),\"payloadType\":\(quoted(bundle.payloadType)),"
            + "\"signatures\":[\(signature)]}"
        return SHA256.hash(data: Array(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The proposed entry as sigstore-js `toProposedIntotoEntry` sends it (double base64).
    static func request(_ bundle: Bundle) throws -> JSONValue {
        let statement = try #require(Base64Text.decode(bundle.payload))
        var signature: [String: JSONValue] = [
            "sig": .string(Base64Text.encode(Array(bundle.sig.utf8))),
            "publicKey": .string(Base64Text.encode(Array(bundle.certificatePEM.utf8))),
        ]
        if !bundle.keyID.isEmpty { signature["keyid"] = .string(bundle.keyID) }
        let payloadHash = SHA256.hash(data: statement).map { String(format: "%02x", $0) }.joined()
        return [
            "apiVersion": "0.0.2",
            "kind": "intoto",
            "spec": [
                "content": [
                    "envelope": [
                        "payloadType": .string(bundle.payloadType),
                        "payload": .string(Base64Text.encode(Array(bundle.payload.utf8))),
                        "signatures": [.object(signature)],
                    ],
                    "hash": ["algorithm": "sha256", "value": .string(sigstoreJSHash(bundle))],
                    "payloadHash": ["algorithm": "sha256", "value": .string(payloadHash)],
                ],
            ],
        ]
    }

    @Test func theRebuiltRequestLogsExactlyRekorsBody() throws {
        let bundle = try Self.bundle()
        let entry = try ProposedEntry.canonicalize(Self.request(bundle))
        #expect(entry.kind == "intoto" && entry.apiVersion == "0.0.2")
        #expect(String(decoding: entry.body, as: UTF8.self) == String(decoding: bundle.loggedBody, as: UTF8.self))
        #expect(entry.leafHash == RFC6962.leafHash(bundle.loggedBody))
        // The statement is the attestation, and its subject digest (sha512 of the npm tarball)
        // is an index key.
        let statement = try #require(Base64Text.decode(bundle.payload))
        #expect(entry.attestation == statement)
        let subjects = InTotoStatement.digestKeys(payload: statement)
        #expect(subjects.contains { $0.hasPrefix("sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc") })
        #expect(subjects.allSatisfy { entry.searchKeys.contains($0) })
    }

    /// sigstore-js's `hash` is the client's word: Rekor logs it without checking, and so do we.
    @Test func theClientHashIsLoggedUnchecked() throws {
        let bundle = try Self.bundle()
        var request = try Self.request(bundle)
        guard case .object(var top) = request, case .object(var spec)? = top["spec"], case .object(var content)? = spec["content"]
        else { Issue.record("request shape"); return }
        content["hash"] = ["algorithm": "sha256", "value": "not even hex"]
        spec["content"] = .object(content)
        top["spec"] = .object(spec)
        request = .object(top)
        let entry = try ProposedEntry.canonicalize(request)
        #expect(String(decoding: entry.body, as: UTF8.self).contains(#""hash":{"algorithm":"sha256","value":"not even hex"}"#))
    }
}
