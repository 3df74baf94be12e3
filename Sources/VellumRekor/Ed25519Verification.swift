import CSodium

/// Ed25519 signature checks through libsodium.
///
/// Ed25519ph (RFC 8032 §5.1, dom2(1, "") and SHA-512, as Rekor's hashedrekord verifies with Go's
/// `ed25519.VerifyWithOptions`) over a digest the client computed: libsodium's own
/// `crypto_sign_ed25519ph_*` functions take the *message* and hash it themselves, and a
/// hashedrekord entry carries only the digest, so the check is RFC 8032's verification
/// equation, [S]B = R + [k]A, written with libsodium's group operations (no field or point
/// arithmetic of ours). Stricter than Go's in one respect: libsodium refuses public keys of
/// small order or outside the prime-order subgroup, which no honest signer has.
public enum Ed25519Verification {
    /// libsodium must be initialized once before use (`sodium_init` is idempotent).
    private static let ready: Bool = sodium_init() >= 0

    /// The group order L, little-endian: a signature's S must be below it (RFC 8032 §5.1.7).
    private static let order: [UInt8] = [
        0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ]

    /// dom2(1, ""): the prefix that separates Ed25519ph from pure Ed25519.
    private static let dom2 = Array("SigEd25519 no Ed25519 collisions".utf8) + [1, 0]

    /// Whether `signature` (R ‖ S) by `publicKey` verifies over the SHA-512 `digest`.
    public static func verifyPrehashed(signature: [UInt8], digest: [UInt8], publicKey: [UInt8]) -> Bool {
        guard ready, signature.count == 64, digest.count == 64, publicKey.count == 32 else { return false }
        let r = Array(signature[0..<32])
        let s = Array(signature[32..<64])
        guard isBelowOrder(s), crypto_core_ed25519_is_valid_point(publicKey) == 1 else { return false }
        // k = SHA-512(dom2 ‖ R ‖ A ‖ PH(M)) mod L.
        var state = crypto_hash_sha512_state()
        var hash = [UInt8](repeating: 0, count: 64)
        crypto_hash_sha512_init(&state)
        crypto_hash_sha512_update(&state, dom2, UInt64(dom2.count))
        crypto_hash_sha512_update(&state, r, 32)
        crypto_hash_sha512_update(&state, publicKey, 32)
        crypto_hash_sha512_update(&state, digest, 64)
        crypto_hash_sha512_final(&state, &hash)
        var k = [UInt8](repeating: 0, count: 32)
        crypto_core_ed25519_scalar_reduce(&k, hash)
        // R' = [S]B - [k]A; the signature holds when R' encodes to R exactly.
        var sB = [UInt8](repeating: 0, count: 32), kA = [UInt8](repeating: 0, count: 32)
        var expected = [UInt8](repeating: 0, count: 32)
        guard crypto_scalarmult_ed25519_base_noclamp(&sB, s) == 0,
              crypto_scalarmult_ed25519_noclamp(&kA, k, publicKey) == 0,
              crypto_core_ed25519_sub(&expected, sB, kA) == 0 else { return false }
        return sodium_memcmp(expected, r, 32) == 0
    }

    /// Pure Ed25519 (RFC 8032 §5.1.7) of `message`, libsodium's `crypto_sign_verify_detached`.
    public static func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard ready, signature.count == 64, publicKey.count == 32 else { return false }
        return crypto_sign_ed25519_verify_detached(signature, message, UInt64(message.count), publicKey) == 0
    }

    /// S < L, comparing little-endian from the top byte down.
    private static func isBelowOrder(_ scalar: [UInt8]) -> Bool {
        for index in stride(from: 31, through: 0, by: -1) where scalar[index] != order[index] {
            return scalar[index] < order[index]
        }
        return false
    }
}
