import SwiftASN1
import X509

extension PublicKeyContent {
    /// The Fulcio "username" otherName, OID 1.3.6.1.4.1.57264.1.7, whose value is a UTF8String.
    static let fulcioUsernameOID: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 1, 7]

    /// The leaf certificate's subject alternative names as sigstore's
    /// `cryptoutils.GetSubjectAlternateNames` lists them (rekor-v1.md §5.3, §8): DNS names,
    /// email addresses, IP addresses (Go's `net.IP.String` form), URIs, then the Fulcio
    /// username otherName when there is exactly one. Not lowercased here; index keys are.
    /// Empty for a bare key, or when the extension cannot be read.
    public var subjectAlternativeNames: [String] {
        guard let leaf, let names = try? leaf.extensions.subjectAlternativeNames else { return [] }
        var dns: [String] = [], emails: [String] = [], ips: [String] = [], uris: [String] = []
        var otherNames: [String] = []
        for name in names {
            switch name {
            case .dnsName(let value): dns.append(value)
            case .rfc822Name(let value): emails.append(value)
            case .ipAddress(let octets): ips.append(Self.formatIP(Array(octets.bytes)))
            case .uniformResourceIdentifier(let value): uris.append(value)
            case .otherName(let other):
                guard other.typeID == Self.fulcioUsernameOID, let value = other.value,
                      let string = try? ASN1UTF8String(asn1Any: value) else { continue }
                otherNames.append(String(string))
            default: continue
            }
        }
        return dns + emails + ips + uris + (otherNames.count == 1 ? otherNames : [])
    }

    /// Go's `net.IP.String`: dotted quad for IPv4 and IPv4-mapped IPv6, RFC 5952 for IPv6
    /// (lowercase, no leading zeros, the first longest run of two or more zero groups as `::`),
    /// `?` + hex for other lengths.
    public static func formatIP(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        guard bytes.count == 16 else { return "?" + bytes.hexString }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var bestStart = -1, bestLength = 0, index = 0
        while index < 8 {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < 8 && groups[end] == 0 { end += 1 }
            if end - index > bestLength && end - index >= 2 { bestStart = index; bestLength = end - index }
            index = end
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}
