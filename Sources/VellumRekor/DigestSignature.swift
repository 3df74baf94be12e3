import Crypto
import X509
import _CryptoExtras

/// A public key in the concrete form that verifies, converted from the X.509 form once (each
/// conversion rebuilds and checks the key; the check used to do it twice per upload).
enum VerifyingKey {
    case p256(P256.Signing.PublicKey)
    case p384(P384.Signing.PublicKey)
    case p521(P521.Signing.PublicKey)
    case rsa(_RSA.Signing.PublicKey)
    case ed25519(Curve25519.Signing.PublicKey)

    /// `nil` for key types we cannot verify with.
    init?(_ key: Certificate.PublicKey) {
        if let key = P256.Signing.PublicKey(key) {
            self = .p256(key)
        } else if let key = P384.Signing.PublicKey(key) {
            self = .p384(key)
        } else if let key = P521.Signing.PublicKey(key) {
            self = .p521(key)
        } else if let key = _RSA.Signing.PublicKey(key) {
            self = .rsa(key)
        } else if let key = Curve25519.Signing.PublicKey(key) {
            self = .ed25519(key)
        } else {
            return nil
        }
    }

    /// The policy-relevant kind of key.
    var algorithm: KeyAlgorithm {
        switch self {
        case .p256: .ecdsaP256
        case .p384: .ecdsaP384
        case .p521: .ecdsaP521
        case .rsa(let key): .rsa(bits: key.keySizeInBits)
        case .ed25519: .ed25519
        }
    }
}

/// Signature verification over a digest the client computed (rekor-v1.md §5.2 step 4).
enum DigestSignature {
    /// Verifies `signature` by `key` over `digest` (already of `hash.byteCount` bytes):
    /// ECDSA in DER or raw r‖s (IEEE P1363), RSA PKCS#1 v1.5, Ed25519ph (RFC 8032).
    static func verify(
        signature: [UInt8], digest: [UInt8], hash: HashAlgorithm, key: VerifyingKey
    ) throws(SignatureError) {
        guard !signature.isEmpty else { throw .empty }
        switch key {
        case .p256(let p256):
            try verifyECDSA(signature, coordinateSize: 32, digest: digest, hash: hash,
                            der: { try? P256.Signing.ECDSASignature(derRepresentation: $0) },
                            raw: { try? P256.Signing.ECDSASignature(rawRepresentation: $0) },
                            check: { signature, digest in p256.isValidSignature(signature, for: digest) })
        case .p384(let p384):
            try verifyECDSA(signature, coordinateSize: 48, digest: digest, hash: hash,
                            der: { try? P384.Signing.ECDSASignature(derRepresentation: $0) },
                            raw: { try? P384.Signing.ECDSASignature(rawRepresentation: $0) },
                            check: { signature, digest in p384.isValidSignature(signature, for: digest) })
        case .p521(let p521):
            try verifyECDSA(signature, coordinateSize: 66, digest: digest, hash: hash,
                            der: { try? P521.Signing.ECDSASignature(derRepresentation: $0) },
                            raw: { try? P521.Signing.ECDSASignature(rawRepresentation: $0) },
                            check: { signature, digest in p521.isValidSignature(signature, for: digest) })
        case .rsa(let rsa):
            let valid = PrehashedDigest.with(digest, as: hash) { digest in
                rsa.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: digest,
                                     padding: .insecurePKCS1v1_5)
            }
            guard valid == true else { throw .invalidRSA }
        case .ed25519(let ed25519):
            guard hash == .sha512 else { throw .unsupportedHash(hash, supported: [.sha512]) }
            guard signature.count == 64 else { throw .invalidEd25519Length(signature.count) }
            guard Ed25519Verification.verifyPrehashed(signature: signature, digest: digest,
                                                       publicKey: Array(ed25519.rawRepresentation))
            else { throw .invalidEd25519 }
        }
    }

    /// sigstore's `ECDSAVerifier`: input that parses as an ASN.1 SEQUENCE of two INTEGERs is
    /// DER; anything else is taken as r‖s split in half (any even length up to 132 bytes).
    private static func verifyECDSA<Signature>(
        _ signature: [UInt8], coordinateSize: Int, digest: [UInt8], hash: HashAlgorithm,
        der: ([UInt8]) -> Signature?, raw: ([UInt8]) -> Signature?,
        check: (Signature, any Digest) -> Bool
    ) throws(SignatureError) {
        if looksLikeDERSignature(signature) {
            guard let parsed = der(signature),
                  PrehashedDigest.with(digest, as: hash, { check(parsed, $0) }) == true
            else { throw .invalidECDSADER }
            return
        }
        guard signature.count <= 132, signature.count % 2 == 0 else {
            throw .invalidECDSARawLength(signature.count)
        }
        let half = signature.count / 2
        guard let r = leftPadded(signature[..<half], to: coordinateSize),
              let s = leftPadded(signature[half...], to: coordinateSize),
              let parsed = raw(r + s),
              PrehashedDigest.with(digest, as: hash, { check(parsed, $0) }) == true
        else { throw .invalidECDSARaw }
    }

    /// A big-endian integer re-encoded in exactly `size` bytes; `nil` when it needs more.
    private static func leftPadded(_ bytes: ArraySlice<UInt8>, to size: Int) -> [UInt8]? {
        let significant = bytes.drop(while: { $0 == 0 })
        guard significant.count <= size else { return nil }
        return Array(repeating: 0, count: size - significant.count) + significant
    }

    /// True when `bytes` starts with a DER SEQUENCE holding exactly two INTEGERs (what Go's
    /// `asn1.Unmarshal` into `struct{ R, S *big.Int }` accepts; bytes after it are ignored there
    /// and make the strict DER parse fail later, as in Go).
    static func looksLikeDERSignature(_ bytes: [UInt8]) -> Bool {
        guard let (tag, content, _) = readTLV(bytes[...]), tag == 0x30,
              let (firstTag, _, afterFirst) = readTLV(content), firstTag == 0x02,
              let (secondTag, _, afterSecond) = readTLV(afterFirst), secondTag == 0x02
        else { return false }
        return afterSecond.isEmpty
    }

    /// One DER tag-length-value with a minimal definite length: (tag, content, rest).
    private static func readTLV(_ bytes: ArraySlice<UInt8>) -> (UInt8, ArraySlice<UInt8>, ArraySlice<UInt8>)? {
        guard bytes.count >= 2 else { return nil }
        let tag = bytes[bytes.startIndex]
        let first = bytes[bytes.startIndex + 1]
        var cursor = bytes.startIndex + 2
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 2, bytes.endIndex - cursor >= count else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[cursor])
                cursor += 1
            }
            guard length >= 0x80, count == 1 || length > 0xFF else { return nil }  // minimal
        }
        guard bytes.endIndex - cursor >= length else { return nil }
        return (tag, bytes[cursor..<(cursor + length)], bytes[(cursor + length)...])
    }
}
