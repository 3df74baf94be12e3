import Crypto
import Foundation
import SwiftASN1
import VellumMerkle
import X509

/// Logged bodies of every kind, shaped as Rekor logs them, signed under keys and Fulcio-like
/// certificates made here (SAN, OIDC issuer in `.1.8` as a DER UTF8String and `.1.1` raw,
/// build signer URI in `.1.9`).
enum TestEntries {
    static let issuerOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 1, 8]
    static let legacyIssuerOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 1, 1]
    static let buildSignerOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 1, 9]

    static func certificatePEM(key: P256.Signing.PrivateKey, email: String? = nil, uri: String? = nil,
                               issuer: String = "https://accounts.example.test", buildSigner: String? = nil) -> String {
        let name = try! DistinguishedName { CommonName("sigstore-intermediate") }
        var names: [GeneralName] = []
        if let email { names.append(.rfc822Name(email)) }
        if let uri { names.append(.uniformResourceIdentifier(uri)) }
        var extensions = try! Certificate.Extensions {
            KeyUsage(digitalSignature: true)
            SubjectAlternativeNames(names)
        }
        try! extensions.append(Certificate.Extension(oid: legacyIssuerOID, critical: false, value: ArraySlice(issuer.utf8)))
        try! extensions.append(Certificate.Extension(oid: issuerOID, critical: false, value: ArraySlice(utf8String(issuer))))
        if let buildSigner {
            try! extensions.append(Certificate.Extension(oid: buildSignerOID, critical: false, value: ArraySlice(utf8String(buildSigner))))
        }
        let now = Date()
        let certificate = try! Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-600), notValidAfter: now.addingTimeInterval(600),
            issuer: name, subject: DistinguishedName(), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: .init(key))
        return try! certificate.serializeAsPEM().pemString + "\n"
    }

    static func utf8String(_ text: String) -> [UInt8] {
        var serializer = DER.Serializer()
        try! serializer.serialize(ASN1UTF8String(text))
        return serializer.serializedBytes
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func body(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }

    static func hashedrekord(pem: String, digest: String = hex(SHA256.hash(data: Array(UUID().uuidString.utf8)))) -> [UInt8] {
        body(["apiVersion": "0.0.1", "kind": "hashedrekord", "spec": [
            "data": ["hash": ["algorithm": "sha256", "value": digest]],
            "signature": ["content": Data(repeating: 1, count: 70).base64EncodedString(), "publicKey": ["content": b64(pem)]],
        ]])
    }

    static func dsse(pem: String) -> [UInt8] {
        body(["apiVersion": "0.0.1", "kind": "dsse", "spec": [
            "envelopeHash": ["algorithm": "sha256", "value": hex(SHA256.hash(data: Array(UUID().uuidString.utf8)))],
            "payloadHash": ["algorithm": "sha256", "value": hex(SHA256.hash(data: Array(UUID().uuidString.utf8)))],
            "signatures": [["signature": Data(repeating: 2, count: 70).base64EncodedString(), "verifier": b64(pem)]],
        ]])
    }

    static func intoto(pem: String) -> [UInt8] {
        body(["apiVersion": "0.0.2", "kind": "intoto", "spec": ["content": [
            "envelope": ["payloadType": "application/vnd.in-toto+json",
                         "signatures": [["publicKey": b64(pem), "sig": b64(Data(repeating: 3, count: 70).base64EncodedString())]]],
            "hash": ["algorithm": "sha256", "value": hex(SHA256.hash(data: Array(UUID().uuidString.utf8)))],
            "payloadHash": ["algorithm": "sha256", "value": hex(SHA256.hash(data: Array(UUID().uuidString.utf8)))],
        ]]])
    }

    static func intotoV001(pem: String) -> [UInt8] {
        body(["apiVersion": "0.0.1", "kind": "intoto", "spec": [
            "content": ["hash": ["algorithm": "sha256", "value": hex(SHA256.hash(data: Array(UUID().uuidString.utf8)))],
                        "payloadHash": ["algorithm": "sha256", "value": hex(SHA256.hash(data: Array(UUID().uuidString.utf8)))]],
            "publicKey": b64(pem),
        ]])
    }

    /// n hashedrekord bodies under fresh keys (nobody watches them).
    static func filler(_ count: Int) -> [[UInt8]] {
        let pem = P256.Signing.PrivateKey().publicKey.pemRepresentation + "\n"
        return (0..<count).map { _ in hashedrekord(pem: pem) }
    }
}
