/* Ed25519ph (RFC 8032 §5.1, the prehash variant) for hashedrekord entries with Ed25519 keys.
 *
 * Rekor verifies such entries as Ed25519ph over the SHA-512 digest of the artifact, and the log only
 * ever sees that digest. Neither swift-crypto (BoringSSL) nor the system OpenSSL 3.0 offers
 * Ed25519ph, so this target implements the curve arithmetic itself and takes only SHA-512 from
 * libcrypto. The pure-Ed25519 functions exist so the tests can cross-check the arithmetic against
 * swift-crypto.
 *
 * Verification policy (the same for both variants):
 * - S must be canonical (S < L), RFC 8032 §5.1.7 step 1;
 * - the public key A and R must decode under §5.1.3: y < p, a square root exists, and x = 0 with
 *   the sign bit set is rejected;
 * - A and R must not have small order (stricter than RFC 8032, which does not require it, and than
 *   Go's crypto/ed25519; honest keys and signatures never have small order, and rejecting them
 *   rules out "signatures" that verify for every message);
 * - the equation is the cofactorless [S]B = R + [k]A, which §5.1.7 allows ("sufficient, but not
 *   required") and which BoringSSL and Go also use, so valid-vs-invalid agrees with them on every
 *   input that passes the checks above.
 *
 * All functions are thread-safe: no global state. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Returns 1 if `signature` (64 bytes R || S) is a valid Ed25519ph signature by `public_key` over the
 * 64-byte SHA-512 digest `digest` with an empty context; 0 otherwise. */
int vellum_ed25519ph_verify(const uint8_t public_key[32], const uint8_t digest[64], const uint8_t signature[64]);

/* Signs the 64-byte SHA-512 digest as Ed25519ph with an empty context (RFC 8032 §5.1.6 with the
 * dom2 prefix). Deterministic. Only for tests and benchmarks: the scalar multiplication avoids
 * secret-dependent branches, but the code is not hardened or audited against side channels. */
void vellum_ed25519ph_sign(const uint8_t seed[32], const uint8_t digest[64], uint8_t signature_out[64]);

/* Derives the 32-byte public key from the 32-byte seed (RFC 8032 §5.1.5). */
void vellum_ed25519_public_key(const uint8_t seed[32], uint8_t public_key_out[32]);

/* Pure Ed25519 (no prefix) over a message: only for cross-checking the arithmetic against
 * swift-crypto in tests. */
int vellum_ed25519_verify_pure(const uint8_t *message, size_t message_len, const uint8_t public_key[32],
                               const uint8_t signature[64]);
void vellum_ed25519_sign_pure(const uint8_t seed[32], const uint8_t *message, size_t message_len,
                              uint8_t signature_out[64]);

#ifdef __cplusplus
}
#endif
