import Crypto

/// Turns digest bytes received over the wire into swift-crypto digest values.
///
/// hashedrekord signatures are checked over a digest the client sends; the artifact itself is
/// never seen (rekor-v1.md §5.2 step 4). swift-crypto verifies ECDSA and RSA over a `Digest`,
/// and its RSA code picks the PKCS#1 DigestInfo by the digest's concrete type
/// (`SHA256Digest` …), so a custom `Digest` type cannot stand in. The concrete types have no
/// public initializer from bytes; they store the bytes as one tuple of `UInt64`s, so we build
/// them from such a tuple, and check the result against the input before every use: should a
/// future swift-crypto change the layout, verification fails closed instead of checking the
/// wrong bytes.
enum PrehashedDigest {
    /// Calls `body` with `bytes` as the digest type of `algorithm`; `nil` when `bytes` has the
    /// wrong length or the layout check fails.
    static func with<R>(_ bytes: [UInt8], as algorithm: HashAlgorithm, _ body: (any Digest) -> R) -> R? {
        guard bytes.count == algorithm.byteCount else { return nil }
        switch algorithm {
        case .sha256:
            var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            fill(&words, from: bytes)
            return checked(make(words, as: SHA256Digest.self), bytes, body)
        case .sha384:
            var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
            fill(&words, from: bytes)
            return checked(make(words, as: SHA384Digest.self), bytes, body)
        case .sha512:
            var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
            fill(&words, from: bytes)
            return checked(make(words, as: SHA512Digest.self), bytes, body)
        }
    }

    private static func fill<T>(_ words: inout T, from bytes: [UInt8]) {
        withUnsafeMutableBytes(of: &words) { buffer in
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
    }

    private static func make<Words, D: Digest>(_ words: Words, as type: D.Type) -> D? {
        guard MemoryLayout<D>.size == MemoryLayout<Words>.size,
              MemoryLayout<D>.alignment == MemoryLayout<Words>.alignment
        else { return nil }
        return unsafeBitCast(words, to: D.self)
    }

    private static func checked<D: Digest, R>(_ digest: D?, _ bytes: [UInt8], _ body: (any Digest) -> R) -> R? {
        guard let digest, Array(digest) == bytes else { return nil }
        return body(digest)
    }
}
