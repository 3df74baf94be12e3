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

    /// One signature's key material as the watch list sees it, however it was read: from
    /// swift-certificates' model (``matches(_:)``) or from the DER (``quickMatches(_:)``).
    struct Signer {
        /// Where a certificate's extensions come from.
        enum Extensions {
            case none
            case parsed(Certificate)
            case walked([(oid: ArraySlice<UInt8>, value: ArraySlice<UInt8>)])
        }

        /// The key's SubjectPublicKeyInfo as logged, when it could be located.
        var spki: ArraySlice<UInt8>?
        /// The certificate's DER; nil for a bare key.
        var certificate: [UInt8]?
        var subjectAlternativeNames: [String] = []
        var issuer: String?
        var extensions: Extensions = .none

        func has(_ watched: Extension) -> Bool {
            switch extensions {
            case .none: false
            case .parsed(let certificate):
                certificate.extensions.contains { $0.oid == watched.oid && WatchList.values(of: $0).contains(watched.value) }
            case .walked(let list):
                list.contains { $0.oid.elementsEqual(watched.oidBytes) && WatchList.values(of: $0.value).contains(watched.value) }
            }
        }
    }

    /// Every reason `entry` is on the watch list, each once, in watch-list order per kind.
    public func matches(_ entry: LoggedEntry) -> [WatchMatch] {
        matches(digests: entry.artifactDigests, signers: entry.verifiers.map { verifier in
            let leaf = verifier.leaf
            // Hashes of the bytes as logged: the key's SPKI (a bare key, or located in the
            // leaf certificate) and the certificate itself.
            return Signer(spki: leaf == nil ? verifier.firstDER[...] : DERWalk.subjectPublicKeyInfo(certificate: verifier.firstDER),
                          certificate: leaf == nil ? nil : verifier.firstDER,
                          subjectAlternativeNames: identities.isEmpty || leaf == nil ? [] : verifier.subjectAlternativeNames,
                          issuer: identities.isEmpty ? nil : leaf.flatMap(Self.issuer(of:)),
                          extensions: leaf.map { .parsed($0) } ?? .none)
        })
    }

    /// The matches of an entry's artifact digests and signers, each once, in watch-list order per kind.
    func matches(digests artifactDigests: [String], signers: [Signer]) -> [WatchMatch] {
        var found: [WatchMatch] = []
        for digest in artifactDigests {
            if let position = digests[digest] { found.append(WatchMatch(rule: "digests[\(position)]", value: digest)) }
        }
        for signer in signers {
            if !fingerprints.isEmpty {
                func look(_ bytes: ArraySlice<UInt8>) {
                    let print = "sha256:" + Self.hex(SHA256.hash(data: bytes))
                    if let position = fingerprints[print] { found.append(WatchMatch(rule: "fingerprints[\(position)]", value: print)) }
                }
                if let spki = signer.spki { look(spki) }
                if let certificate = signer.certificate { look(certificate[...]) }
            }
            for san in signer.subjectAlternativeNames {
                let candidates = (literalSANs[san] ?? []) + patternSANs.filter { identities[$0].san.matches(san) }
                for position in candidates.sorted() {
                    if let pattern = identities[position].issuer {
                        guard let issuer = signer.issuer, pattern.matches(issuer) else { continue }
                    }
                    found.append(WatchMatch(rule: "identities[\(position)]", value: signer.issuer.map { "\(san) (\($0))" } ?? san))
                }
            }
            for (position, watched) in extensions.enumerated() where signer.has(watched) {
                found.append(WatchMatch(rule: "extensions[\(position)]", value: "\(watched.oidText)=\(watched.value)"))
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
