/// The fixed DER layouts used for keys that swift-crypto does not encode itself.
///
/// Ed25519 keys have exactly one encoding each (RFC 8410), so a fixed prefix plus 32 key
/// bytes is the whole structure; anything else is rejected rather than parsed loosely.
enum KeyDER {
    /// PKCS#8 `PrivateKeyInfo` v1 for Ed25519 (RFC 8410 §7): version 0, algorithm
    /// id-Ed25519 (1.3.101.112), then the 32-byte seed wrapped in an OCTET STRING.
    static let ed25519PrivateKeyPrefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70,
        0x04, 0x22, 0x04, 0x20,
    ]

    /// `SubjectPublicKeyInfo` for Ed25519 (RFC 8410 §4): algorithm id-Ed25519, then the
    /// 32-byte key as a BIT STRING with no unused bits.
    static let ed25519PublicKeyPrefix: [UInt8] = [
        0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00,
    ]

    /// The DER of the P-256 curve OID 1.2.840.10045.3.1.7 (prime256v1).
    static let p256CurveOID: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]

    /// The 32 key bytes after `prefix`, or `nil` unless `der` is exactly `prefix` + 32 bytes.
    static func key(in der: [UInt8], after prefix: [UInt8]) -> [UInt8]? {
        guard der.count == prefix.count + 32, der.starts(with: prefix) else { return nil }
        return Array(der.suffix(32))
    }

    /// SEC 1 `ECPrivateKey` (RFC 5915) for P-256, with the curve named and the public key:
    /// `SEQUENCE { 1, OCTET STRING d, [0] prime256v1, [1] BIT STRING 04||x||y }`.
    static func sec1(privateScalar: [UInt8], publicX963: [UInt8]) -> [UInt8] {
        precondition(privateScalar.count == 32 && publicX963.count == 65)
        var der: [UInt8] = [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20]
        der += privateScalar
        der += [0xA0, 0x0A] + p256CurveOID
        der += [0xA1, 0x44, 0x03, 0x42, 0x00]
        der += publicX963
        return der
    }

    /// True when `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains {
            haystack[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}
