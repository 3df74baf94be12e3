import VellumRekor

/// What a watch list asks of a certificate, read straight from its DER: the subject alternative
/// names, the extensions (OID and value), and the SubjectPublicKeyInfo bytes. A monitor reads
/// millions of certificates and checks no signature on them, so it locates these fields (RFC
/// 5280 §4.1, §4.2.1.6) instead of building swift-certificates' full model, which was ~40% of a
/// catch-up's time. Anything that does not walk as a certificate gives nil, and the entry is
/// then read the full way (and reported if that fails too). Cross-checked against
/// swift-certificates on every certificate the tests and the shared vectors have.
struct CertificateFacts {
    /// As `PublicKeyContent.subjectAlternativeNames` lists them: DNS names, e-mail addresses,
    /// IP addresses, URIs, then the Fulcio username otherName when there is exactly one.
    var subjectAlternativeNames: [String] = []
    /// Each extension's OID (the encoded OID's content bytes) and its value (the OCTET STRING's contents).
    var extensions: [(oid: ArraySlice<UInt8>, value: ArraySlice<UInt8>)] = []
    var subjectPublicKeyInfo: ArraySlice<UInt8> = []

    /// 2.5.29.17, subjectAltName.
    static let subjectAltName: [UInt8] = [0x55, 0x1D, 0x11]
    /// 1.3.6.1.4.1.57264.1.7, Fulcio's username otherName.
    static let fulcioUsername: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0x83, 0xBF, 0x30, 0x01, 0x07]

    init?(der bytes: [UInt8]) {
        guard let certificate = DERWalk.element(bytes, at: 0), certificate.tag == 0x30,
              let tbs = DERWalk.element(bytes, at: certificate.contents), tbs.tag == 0x30 else { return nil }
        var offset = tbs.contents
        guard let first = DERWalk.element(bytes, at: offset) else { return nil }
        if first.tag == 0xA0 { offset = first.end }
        // serialNumber, signature, issuer, validity, subject.
        for _ in 0..<5 {
            guard let skipped = DERWalk.element(bytes, at: offset), skipped.end <= tbs.end else { return nil }
            offset = skipped.end
        }
        guard let key = DERWalk.element(bytes, at: offset), key.tag == 0x30, key.end <= tbs.end else { return nil }
        subjectPublicKeyInfo = bytes[offset..<key.end]
        offset = key.end
        // Optional issuerUniqueID [1], subjectUniqueID [2], then extensions [3].
        while offset < tbs.end {
            guard let field = DERWalk.element(bytes, at: offset), field.end <= tbs.end else { return nil }
            if field.tag == 0xA3 {
                guard let list = DERWalk.element(bytes, at: field.contents), list.tag == 0x30, list.end <= field.end,
                      readExtensions(bytes, from: list.contents, to: list.end) else { return nil }
            }
            offset = field.end
        }
    }

    private mutating func readExtensions(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        var offset = start
        while offset < end {
            guard let ext = DERWalk.element(bytes, at: offset), ext.tag == 0x30, ext.end <= end,
                  let oid = DERWalk.element(bytes, at: ext.contents), oid.tag == 0x06 else { return false }
            var next = oid.end
            guard var value = DERWalk.element(bytes, at: next) else { return false }
            if value.tag == 0x01 {   // critical BOOLEAN
                next = value.end
                guard let after = DERWalk.element(bytes, at: next) else { return false }
                value = after
            }
            guard value.tag == 0x04, value.end <= ext.end else { return false }
            let oidBytes = bytes[oid.contents..<oid.end]
            let contents = bytes[value.contents..<value.end]
            extensions.append((oidBytes, contents))
            if oidBytes.elementsEqual(Self.subjectAltName) {
                guard let names = Self.generalNames(bytes, in: value.contents..<value.end) else { return false }
                subjectAlternativeNames = names
            }
            offset = ext.end
        }
        return true
    }

    /// GeneralNames (RFC 5280 §4.2.1.6), in sigstore's order.
    private static func generalNames(_ bytes: [UInt8], in range: Range<Int>) -> [String]? {
        guard let sequence = DERWalk.element(bytes, at: range.lowerBound), sequence.tag == 0x30, sequence.end <= range.upperBound else {
            return nil
        }
        var dns: [String] = [], emails: [String] = [], ips: [String] = [], uris: [String] = [], others: [String] = []
        var offset = sequence.contents
        while offset < sequence.end {
            guard let name = DERWalk.element(bytes, at: offset), name.end <= sequence.end else { return nil }
            let text = String(decoding: bytes[name.contents..<name.end], as: UTF8.self)
            switch name.tag {
            case 0x81: emails.append(text)
            case 0x82: dns.append(text)
            case 0x86: uris.append(text)
            case 0x87: ips.append(PublicKeyContent.formatIP(Array(bytes[name.contents..<name.end])))
            case 0xA0:
                // otherName: type-id OID, [0] EXPLICIT value; Fulcio's username is a UTF8String.
                if let typeID = DERWalk.element(bytes, at: name.contents), typeID.tag == 0x06,
                   bytes[typeID.contents..<typeID.end].elementsEqual(fulcioUsername),
                   let explicit = DERWalk.element(bytes, at: typeID.end), explicit.tag == 0xA0,
                   let value = DERWalk.element(bytes, at: explicit.contents), value.tag == 0x0C {
                    others.append(String(decoding: bytes[value.contents..<value.end], as: UTF8.self))
                }
            default: break
            }
            offset = name.end
        }
        return dns + emails + ips + uris + (others.count == 1 ? others : [])
    }
}
