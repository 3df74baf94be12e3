import Crypto
import SwiftASN1
import VellumRekor

extension WatchList {
    /// `.1.8` and `.1.1` of Fulcio's arc as DER OID contents.
    static let issuerOIDBytes: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xBF, 0x30, 0x01, 0x08]
    static let legacyIssuerOIDBytes: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xBF, 0x30, 0x01, 0x01]

    /// The same matches as ``matches(_:)``, from an entry read with `parseKeys: false`: the
    /// certificates' fields are read by ``CertificateFacts``. Nil when a certificate does not
    /// walk; the caller then reads the entry the full way.
    public func quickMatches(_ entry: LoggedEntry) -> [WatchMatch]? {
        var signers: [Signer] = []
        for block in entry.keyBlocks {
            guard block.label == "CERTIFICATE" else {
                signers.append(Signer(spki: block.der[...]))
                continue
            }
            guard let facts = CertificateFacts(der: block.der) else { return nil }
            signers.append(Signer(spki: facts.subjectPublicKeyInfo, certificate: block.der,
                                  subjectAlternativeNames: identities.isEmpty ? [] : facts.subjectAlternativeNames,
                                  issuer: identities.isEmpty ? nil : Self.issuer(in: facts),
                                  extensions: .walked(facts.extensions)))
        }
        return matches(digests: entry.artifactDigests, signers: signers)
    }

    static func issuer(in facts: CertificateFacts) -> String? {
        var legacy: String?
        for ext in facts.extensions {
            if ext.oid.elementsEqual(issuerOIDBytes) { return utf8String(ext.value) }
            if ext.oid.elementsEqual(legacyIssuerOIDBytes) { legacy = String(decoding: ext.value, as: UTF8.self) }
        }
        return legacy
    }

    /// A DER UTF8String's text, or nil.
    static func utf8String(_ bytes: ArraySlice<UInt8>) -> String? {
        let array = Array(bytes)
        guard let element = DERWalk.element(array, at: 0), element.tag == 0x0C, element.end == array.count else { return nil }
        return String(decoding: array[element.contents..<element.end], as: UTF8.self)
    }

    static func values(of value: ArraySlice<UInt8>) -> [String] {
        [String(decoding: value, as: UTF8.self)] + (utf8String(value).map { [$0] } ?? [])
    }
}
