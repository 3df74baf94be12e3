import Crypto
import Foundation
import Testing
import VellumMerkle
import VellumRekor

/// Named mutations of a valid P-256 entry: each breaks one rule of rekor-v1.md §1.4/§5.2 and must
/// be refused with its own error and Rekor's status and message.
@Suite struct HashedRekordValidationTests {
    static let signer = TestSigner.p256()

    /// A valid entry, as text pieces that the mutations replace.
    struct Parts {
        var signature: String
        var pem: String
        var algorithm = "sha256"
        var digestHex: String

        static func valid() -> Parts {
            let digest = SHA256.hash(data: Array("hello".utf8))
            return Parts(signature: Base64Text.encode(signer.sign(digest)), pem: signer.publicKeyPEM,
                         digestHex: TestSigner.hex(Array(digest)))
        }

        var json: JSONValue {
            TestSigner.entry(signature: signature, pem: pem, algorithm: algorithm, digestHex: digestHex)
        }
    }

    static func replacing(_ json: JSONValue, _ path: [String], with value: JSONValue?) -> JSONValue {
        guard case .object(var members) = json, let first = path.first else { return value ?? .null }
        if path.count == 1 {
            members[first] = value
        } else {
            members[first] = replacing(members[first] ?? [:], Array(path.dropFirst()), with: value)
        }
        return .object(members)
    }

    func refuse(_ json: JSONValue, _ expected: RekorEntryError, status: Int, code: Int? = nil, message: String? = nil,
                sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: RekorEntryError.self, sourceLocation: sourceLocation) {
            try ProposedEntry.canonicalize(json)
        }
        #expect(error == expected, sourceLocation: sourceLocation)
        #expect(error?.apiError.status == status, sourceLocation: sourceLocation)
        #expect(error?.apiError.code == (code ?? status), sourceLocation: sourceLocation)
        if let message { #expect(error?.apiError.message == message, sourceLocation: sourceLocation) }
    }

    // MARK: The canonical body

    @Test func buildsTheCanonicalBodyByteForByte() throws {
        let parts = Parts.valid()
        var json = parts.json
        json = Self.replacing(json, ["spec", "data", "content"], with: "ignored")  // not logged
        json = Self.replacing(json, ["extra"], with: 1)
        let entry = try ProposedEntry.canonicalize(json)
        let der = Self.signer.certificatePublicKeyDER
        var pem = "-----BEGIN PUBLIC KEY-----\n"
        let base64 = Base64Text.encode(der)
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            pem += base64[index..<end] + "\n"
            index = end
        }
        pem += "-----END PUBLIC KEY-----\n"
        let expected = #"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":""#
            + parts.digestHex + #""}},"signature":{"content":""# + parts.signature
            + #"","publicKey":{"content":""# + Base64Text.encode(Array(pem.utf8)) + #""}}}}"#
        #expect(String(decoding: entry.body, as: UTF8.self) == expected)
        #expect(entry.leafHash == RFC6962.leafHash(Array(expected.utf8)))
        #expect(entry.searchKeys == [TestSigner.hex(Array(SHA256.hash(data: Array(pem.utf8)))), "sha256:" + parts.digestHex])
        #expect(entry.uuid == entry.leafHash.hex)
        #expect(entry.bodyBase64 == Base64Text.encode(entry.body))
    }

    @Test func keepsUppercaseHashVerbatimButIndexesItLowercased() throws {
        var parts = Parts.valid()
        parts.digestHex = parts.digestHex.uppercased()
        let entry = try ProposedEntry.canonicalize(parts.json)
        #expect(try JSONValue.parse(entry.body)["spec"]?["data"]?["hash"]?["value"] == .string(parts.digestHex))
        #expect(entry.searchKeys.last == "sha256:" + parts.digestHex.lowercased())
    }

    @Test func acceptsBuildMetadataAndLogsPlainVersion() throws {
        let json = Self.replacing(Parts.valid().json, ["apiVersion"], with: "0.0.1+build.7")
        let entry = try ProposedEntry.canonicalize(json)
        #expect(try JSONValue.parse(entry.body)["apiVersion"] == "0.0.1")
    }

    // MARK: Envelope (go-openapi): 400 and 422

    @Test func refusesEnvelopeProblems() throws {
        let valid = Parts.valid().json
        refuse(["not", "an", "object"], .notAnObject(got: "array"), status: 400)
        refuse(Self.replacing(valid, ["kind"], with: nil), .missingKind, status: 422, code: 602,
               message: "kind in body is required")
        refuse(Self.replacing(valid, ["kind"], with: ""), .missingKind, status: 422, code: 602)
        refuse(Self.replacing(valid, ["kind"], with: 7), .fieldType(field: "kind", want: "string", got: "number"), status: 400)
        refuse(Self.replacing(valid, ["kind"], with: "foo"), .unknownKind("foo"), status: 422, code: 422,
               message: #"invalid kind value: "foo""#)
        refuse(Self.replacing(valid, ["apiVersion"], with: nil), .missingAPIVersion, status: 422, code: 602,
               message: "apiVersion in body is required")
        refuse(Self.replacing(valid, ["apiVersion"], with: "1.0"), .apiVersionPattern("1.0"), status: 422, code: 605)
        refuse(Self.replacing(valid, ["apiVersion"], with: "01.0.0"), .apiVersionPattern("01.0.0"), status: 422, code: 605)
        refuse(Self.replacing(valid, ["spec"], with: nil), .missingSpec, status: 422, code: 602,
               message: "spec in body is required")
        refuse(Self.replacing(valid, ["kind"], with: "rekord"), .kindNotEnabled("rekord"), status: 400,
               message: "entry kind 'rekord' is not enabled for submission on this server")
        refuse(Self.replacing(valid, ["kind"], with: "tuf"), .kindNotEnabled("tuf"), status: 400)
        refuse(Self.replacing(valid, ["apiVersion"], with: "0.0.2"),
               .unsupportedAPIVersion(kind: "hashedrekord", version: "0.0.2"), status: 400,
               message: "error processing entry: hashedrekord implementation for version '0.0.2' not found: unable to locate entry for version 0.0.2")
        refuse(Self.replacing(valid, ["apiVersion"], with: "0.0.1-rc1"),
               .unsupportedAPIVersion(kind: "hashedrekord", version: "0.0.1-rc1"), status: 400)
        refuse(Self.replacing(valid, ["spec"], with: "x"), .specNotObject(got: "string"), status: 400)
    }

    @Test func refusesMalformedJSONBytes() {
        let error = #expect(throws: RekorEntryError.self) { try ProposedEntry.canonicalize(json: Array("{\"kind\":".utf8)) }
        #expect(error == .malformedJSON(JSONParseError(offset: 8, reason: .unexpectedEnd)))
        #expect(error?.apiError.status == 400)
    }

    // MARK: hashedrekord rules, in Rekor's order

    @Test func refusesBadBase64() {
        var parts = Parts.valid()
        parts.signature = "abc"
        refuse(parts.json, .invalidBase64(field: .signature, offset: 3), status: 400,
               message: "error processing entry: failed parsing base64 data for signature content: illegal base64 data at input byte 3")
        parts.signature = "ab!d"
        refuse(parts.json, .invalidBase64(field: .signature, offset: 2), status: 400)
        parts.signature = "QR=="  // non-zero padding bits: not canonical
        refuse(parts.json, .invalidBase64(field: .signature, offset: 1), status: 400)
        let badKey = Self.replacing(Parts.valid().json, ["spec", "signature", "publicKey", "content"], with: "LS0t\nLS0t")
        refuse(badKey, .invalidBase64(field: .publicKey, offset: 4), status: 400)
    }

    @Test func refusesSchemaViolations() {
        let valid = Parts.valid().json
        refuse(Self.replacing(valid, ["spec", "data"], with: nil), .schemaViolations([.required(path: "data")]), status: 400,
               message: "error processing entry: validation failure list:\ndata in body is required")
        refuse(Self.replacing(valid, ["spec", "data", "hash", "algorithm"], with: "md5"),
               .schemaViolations([.notInEnum(path: "data.hash.algorithm", got: "md5", allowed: ["sha256", "sha384", "sha512"])]),
               status: 400,
               message: "error processing entry: validation failure list:\ndata.hash.algorithm in body should be one of [sha256 sha384 sha512]")
        refuse(Self.replacing(Self.replacing(valid, ["spec", "data", "hash", "value"], with: nil), ["spec", "signature"], with: nil),
               .schemaViolations([.required(path: "data.hash.value"), .required(path: "signature")]), status: 400)
        refuse(Self.replacing(valid, ["spec", "signature", "publicKey"], with: nil), .missingPublicKey, status: 400,
               message: "error processing entry: missing public key")
    }

    @Test func refusesBadKeyMaterial() {
        var parts = Parts.valid()
        parts.pem = "hello"
        refuse(parts.json, .publicKey(.noPEMBlock), status: 400,
               message: "error processing entry: invalid public key: failure decoding PEM")
        parts.pem = Self.signer.publicKeyPEM.replacingOccurrences(of: "PUBLIC KEY", with: "RSA PUBLIC KEY")
        refuse(parts.json, .publicKey(.unsupportedPEMType(label: "RSA PUBLIC KEY")), status: 400,
               message: "error processing entry: invalid public key: cannot handle type RSA PUBLIC KEY")
        parts.pem = Self.signer.publicKeyPEM.replacingOccurrences(of: "PUBLIC KEY", with: "CERTIFICATE")
        let error = #expect(throws: RekorEntryError.self) { try ProposedEntry.canonicalize(parts.json) }
        guard case .publicKey(.malformedCertificate(index: 0, _))? = error else {
            Issue.record("want malformedCertificate, got \(String(describing: error))")
            return
        }
    }

    /// A compressed point re-encodes differently; Go refuses it too.
    @Test func refusesCompressedPointKey() throws {
        let key = P256.Signing.PrivateKey().publicKey
        let prefix: [UInt8] = [0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
                               0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00]
        let der = prefix + Array(key.compressedRepresentation)
        var parts = Parts.valid()
        parts.pem = "-----BEGIN PUBLIC KEY-----\n\(Base64Text.encode(der))\n-----END PUBLIC KEY-----\n"
        let error = #expect(throws: RekorEntryError.self) { try ProposedEntry.canonicalize(parts.json) }
        guard case .publicKey(.malformedPublicKey)? = error else {
            Issue.record("want malformedPublicKey, got \(String(describing: error))")
            return
        }
    }

    @Test func refusesBadDigests() {
        var parts = Parts.valid()
        parts.digestHex.removeLast()
        refuse(parts.json, .hashLength(algorithm: .sha256, got: 63), status: 400)
        parts = Parts.valid()
        parts.algorithm = "sha384"
        refuse(parts.json, .hashLength(algorithm: .sha384, got: 64), status: 400)
        parts = Parts.valid()
        parts.digestHex = "zz" + parts.digestHex.dropFirst(2)
        refuse(parts.json, .hashNotHex(invalid: "z"), status: 400,
               message: "error processing entry: encoding/hex: invalid byte: U+007A 'z'")
    }

    @Test func refusesBadSignatures() {
        let other = SHA256.hash(data: Array("other".utf8))
        var parts = Parts.valid()
        parts.signature = Base64Text.encode(Self.signer.sign(other))
        refuse(parts.json, .signature(.invalidECDSADER), status: 400,
               message: "error processing entry: verifying signature: invalid signature when validating ASN.1 encoded signature")
        parts.signature = Base64Text.encode(Self.signer.sign(other, raw: true))
        refuse(parts.json, .signature(.invalidECDSARaw), status: 400)
        parts.signature = Base64Text.encode([1, 2, 3])
        refuse(parts.json, .signature(.invalidECDSARawLength(3)), status: 400)
        parts.signature = ""
        refuse(parts.json, .signature(.empty), status: 400,
               message: "error processing entry: verifying signature: X509 signature has not been initialized")
        let rsa = TestSigner.rsa(bits: 2048)
        var rsaParts = Parts.valid()
        rsaParts.pem = rsa.publicKeyPEM
        rsaParts.signature = Base64Text.encode(rsa.sign(other))
        refuse(rsaParts.json, .signature(.invalidRSA), status: 400)
        // A signature by another key.
        parts = Parts.valid()
        parts.pem = TestSigner.p256().publicKeyPEM
        refuse(parts.json, .signature(.invalidECDSADER), status: 400)
    }
}

extension TestSigner {
    /// The SPKI DER of the public key.
    var certificatePublicKeyDER: [UInt8] {
        switch key {
        case .p256(let key): Array(key.publicKey.derRepresentation)
        case .p384(let key): Array(key.publicKey.derRepresentation)
        case .p521(let key): Array(key.publicKey.derRepresentation)
        case .rsa(let key): Array(key.publicKey.derRepresentation)
        case .ed25519: []
        }
    }
}
