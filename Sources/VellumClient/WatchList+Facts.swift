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
        var found: [WatchMatch] = []
        for digest in entry.artifactDigests {
            if let position = digests[digest] { found.append(WatchMatch(rule: "digests[\(position)]", value: digest)) }
        }
        for block in entry.keyBlocks {
            let isCertificate = block.label == "CERTIFICATE"
            let facts: CertificateFacts?
            if isCertificate {
                guard let read = CertificateFacts(der: block.der) else { return nil }
                facts = read
            } else {
                facts = nil
            }
            if !fingerprints.isEmpty {
                let keyPrint = "sha256:" + Self.hex(SHA256.hash(data: facts?.subjectPublicKeyInfo ?? block.der[...]))
                if let position = fingerprints[keyPrint] { found.append(WatchMatch(rule: "fingerprints[\(position)]", value: keyPrint)) }
                if isCertificate {
                    let certificatePrint = "sha256:" + Self.hex(SHA256.hash(data: block.der))
                    if let position = fingerprints[certificatePrint] {
                        found.append(WatchMatch(rule: "fingerprints[\(position)]", value: certificatePrint))
                    }
                }
            }
            guard let facts else { continue }
            if !identities.isEmpty {
                let issuer = Self.issuer(in: facts)
                for san in facts.subjectAlternativeNames {
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
                for ext in facts.extensions where ext.oid.elementsEqual(watched.oidBytes) && Self.values(of: ext.value).contains(watched.value) {
                    found.append(WatchMatch(rule: "extensions[\(position)]", value: "\(watched.oidText)=\(watched.value)"))
                }
            }
        }
        var seen: Set<WatchMatch> = []
        return found.filter { seen.insert($0).inserted }
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
