import CVellumEd25519
import Crypto
import X509
import _CryptoExtras

/// Signature verification over a digest the client computed (rekor-v1.md §5.2 step 4).
enum DigestSignature {
    /// The policy-relevant kind of `key`, or `nil` for key types we cannot verify with.
    static func algorithm(of key: Certificate.PublicKey) -> KeyAlgorithm? {
        if P256.Signing.PublicKey(key) != nil { return .ecdsaP256 }
        if P384.Signing.PublicKey(key) != nil { return .ecdsaP384 }
        if P521.Signing.PublicKey(key) != nil { return .ecdsaP521 }
        if let rsa = _RSA.Signing.PublicKey(key) { return .rsa(bits: rsa.keySizeInBits) }
        if Curve25519.Signing.PublicKey(key) != nil { return .ed25519 }
        return nil
    }

    /// Verifies `signature` by `key` over `digest` (already of `hash.byteCount` bytes):
    /// ECDSA in DER or raw r‖s (IEEE P1363), RSA PKCS#1 v1.5, Ed25519ph (RFC 8032).
    static func verify(
        signature: [UInt8], digest: [UInt8], hash: HashAlgorithm, key: Certificate.PublicKey
    ) throws(SignatureError) {
        guard !signature.isEmpty else { throw .empty }
        if let p256 = P256.Signing.PublicKey(key) {
            try verifyECDSA(signature, coordinateSize: 32, digest: digest, hash: hash,
                            der: { try? P256.Signing.ECDSASignature(derRepresentation: $0) },
                            raw: { try? P256.Signing.ECDSASignature(rawRepresentation: $0) },
                            check: { signature, digest in p256.isValidSignature(signature, for: digest) })
        } else if let p384 = P384.Signing.PublicKey(key) {
            try verifyECDSA(signature, coordinateSize: 48, digest: digest, hash: hash,
                            der: { try? P384.Signing.ECDSASignature(derRepresentation: $0) },
                            raw: { try? P384.Signing.ECDSASignature(rawRepresentation: $0) },
                            check: { signature, digest in p384.isValidSignature(signature, for: digest) })
        } else if let p521 = P521.Signing.PublicKey(key) {
            try verifyECDSA(signature, coordinateSize: 66, digest: digest, hash: hash,
                            der: { try? P521.Signing.ECDSASignature(derRepresentation: $0) },
                            raw: { try? P521.Signing.ECDSASignature(rawRepresentation: $0) },
                            check: { signature, digest in p521.isValidSignature(signature, for: digest) })
        } else if let rsa = _RSA.Signing.PublicKey(key) {
            let valid = PrehashedDigest.with(digest, as: hash) { digest in
                rsa.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: digest,
                                     padding: .insecurePKCS1v1_5)
            }
            guard valid == true else { throw .invalidRSA }
        } else if let ed25519 = Curve25519.Signing.PublicKey(key) {
            guard hash == .sha512 else { throw .unsupportedHash(hash, supported: [.sha512]) }
            guard signature.count == 64 else { throw .invalidEd25519Length(signature.count) }
            let publicKey = Array(ed25519.rawRepresentation)
            guard vellum_ed25519ph_verify(publicKey, digest, signature) == 1 else { throw .invalidEd25519 }
        } else {
            throw .unsupportedKeyType
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
