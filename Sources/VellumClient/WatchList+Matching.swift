import Crypto
import SwiftASN1
import VellumMerkle
import VellumRekor
import X509

extension WatchList {
    /// Fulcio's OIDC issuer extensions: `.1.8` holds a DER UTF8String, the deprecated `.1.1`
    /// the raw string (monitor-witness.md §1.1).
    static let issuerOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 1, 8]
    static let legacyIssuerOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 1, 1]

    /// Every reason `entry` is on the watch list, each once, in watch-list order per kind.
    public func matches(_ entry: LoggedEntry) -> [WatchMatch] {
        var found: [WatchMatch] = []
        for digest in entry.artifactDigests {
            if let position = digests[digest] { found.append(WatchMatch(rule: "digests[\(position)]", value: digest)) }
        }
        for verifier in entry.verifiers {
            if !fingerprints.isEmpty {
                // Hashes of the bytes as logged: the key's SPKI (a bare key, or located in the
                // leaf certificate) and the certificate itself.
                let spki = verifier.form == .publicKey ? verifier.firstDER[...] : DERWalk.subjectPublicKeyInfo(certificate: verifier.firstDER)
                if let spki {
                    let keyPrint = "sha256:" + Self.hex(SHA256.hash(data: spki))
                    if let position = fingerprints[keyPrint] { found.append(WatchMatch(rule: "fingerprints[\(position)]", value: keyPrint)) }
                }
                if verifier.form != .publicKey {
                    let certificatePrint = "sha256:" + Self.hex(SHA256.hash(data: verifier.firstDER))
                    if let position = fingerprints[certificatePrint] {
                        found.append(WatchMatch(rule: "fingerprints[\(position)]", value: certificatePrint))
                    }
                }
            }
            guard let leaf = verifier.leaf else { continue }
            if !identities.isEmpty {
                let issuer = Self.issuer(of: leaf)
                for san in verifier.subjectAlternativeNames {
                    let candidates = (literalSANs[san] ?? []) + patternSANs.filter { identities[$0].san.matches(san) }
                    for position in candidates.sorted() {
                        if let pattern = identities[position].issuer {
                            guard let issuer, pattern.matches(issuer) else { continue }
                        }
                        found.append(WatchMatch(rule: "identities[\(position)]", value: issuer.map { "\(san) (\($0))" } ?? san))
                    }
                }
            }
            for (position, watched) in extensions.enumerated() {
                for ext in leaf.extensions where ext.oid == watched.oid && Self.values(of: ext).contains(watched.value) {
                    found.append(WatchMatch(rule: "extensions[\(position)]", value: "\(watched.oidText)=\(watched.value)"))
                }
            }
        }
        var seen: Set<WatchMatch> = []
        return found.filter { seen.insert($0).inserted }
    }

    /// The OIDC issuer a Fulcio certificate names, if any.
    static func issuer(of certificate: Certificate) -> String? {
        var legacy: String?
        for ext in certificate.extensions {
            if ext.oid == issuerOID, let value = try? ASN1UTF8String(derEncoded: ext.value) { return String(value) }
            if ext.oid == legacyIssuerOID { legacy = String(decoding: ext.value, as: UTF8.self) }
        }
        return legacy
    }

    /// An extension's value read both ways Fulcio writes them: a DER UTF8String (`.1.8` on)
    /// and raw bytes (`.1.1` to `.1.6`).
    static func values(of ext: Certificate.Extension) -> [String] {
        var values = [String(decoding: ext.value, as: UTF8.self)]
        if let string = try? ASN1UTF8String(derEncoded: ext.value) { values.append(String(string)) }
        return values
    }

    /// DER of a certificate, or of a key as its SubjectPublicKeyInfo.
    static func der(_ value: some DERSerializable) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(value)
        return serializer.serializedBytes
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
