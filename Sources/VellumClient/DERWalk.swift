/// Just enough DER to find a certificate's SubjectPublicKeyInfo bytes without re-encoding the
/// parsed key (RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version
/// OPTIONAL, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, … } … }).
/// The certificate was already parsed strictly by swift-certificates; this only locates bytes.
enum DERWalk {
    /// The element starting at `offset`: its tag, where its contents start and where it ends.
    static func element(_ bytes: [UInt8], at offset: Int) -> (tag: UInt8, contents: Int, end: Int)? {
        guard offset + 2 <= bytes.count else { return nil }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        var contents = offset + 2
        if length & 0x80 != 0 {
            let octets = length & 0x7F
            guard (1...3).contains(octets), contents + octets <= bytes.count else { return nil }
            length = 0
            for byte in bytes[contents..<contents + octets] { length = length << 8 | Int(byte) }
            contents += octets
        }
        guard contents + length <= bytes.count else { return nil }
        return (tag, contents, contents + length)
    }

    static func subjectPublicKeyInfo(certificate bytes: [UInt8]) -> ArraySlice<UInt8>? {
        guard let certificate = element(bytes, at: 0), certificate.tag == 0x30,
              let tbs = element(bytes, at: certificate.contents), tbs.tag == 0x30 else { return nil }
        var offset = tbs.contents
        guard let first = element(bytes, at: offset) else { return nil }
        if first.tag == 0xA0 { offset = first.end }
        // serialNumber, signature, issuer, validity, subject, then the key.
        for _ in 0..<5 {
            guard let skipped = element(bytes, at: offset) else { return nil }
            offset = skipped.end
        }
        guard let key = element(bytes, at: offset), key.tag == 0x30 else { return nil }
        return bytes[offset..<key.end]
    }
}
