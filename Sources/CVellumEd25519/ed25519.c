/* Ed25519 and Ed25519ph signatures (RFC 8032 §5.1.5-§5.1.7) on top of the arithmetic in field.c,
 * point.c and scalar.c. SHA-512 comes from the system libcrypto.
 *
 * The two variants differ only in what is hashed (§5.1): Ed25519ph puts dom2(1, "") in front of
 * every hash input and signs PH(M) = SHA-512(M) instead of M. Since the callers here already hold
 * PH(M), the "message" of the ph functions is that 64-byte digest. */
#define OPENSSL_SUPPRESS_DEPRECATED 1  // SHA512_Init & co.: no allocation, unlike EVP_MD_CTX
#include "vellum_ed25519.h"

#include "internal.h"

#include <openssl/sha.h>
#include <string.h>

/* dom2(x, y) = "SigEd25519 no Ed25519 collisions" || octet(x) || octet(OLEN(y)) || y, here with
 * phflag x = 1 and the empty context y (§2, §5.1). */
static const uint8_t dom2_ph[34] = {
    'S', 'i', 'g', 'E', 'd', '2', '5', '5', '1', '9', ' ', 'n', 'o', ' ', 'E', 'd',
    '2', '5', '5', '1', '9', ' ', 'c', 'o', 'l', 'l', 'i', 's', 'i', 'o', 'n', 's',
    0x01, 0x00,
};

/* The bytes hashed in front of everything else: dom2 for Ed25519ph, nothing for pure Ed25519. */
typedef struct {
    const uint8_t *bytes;
    size_t length;
} hash_prefix;

static const hash_prefix prefix_ph = {dom2_ph, sizeof dom2_ph};
static const hash_prefix prefix_pure = {NULL, 0};

/* SHA-512(prefix || a || b || message) mod L: the shape of both r (§5.1.6 step 2, where a is the
 * secret half of the key hash and b is empty) and k (step 4 and §5.1.7 step 2, with a = R, b = A). */
static void hash_to_scalar(uint8_t out[32], hash_prefix prefix, const uint8_t *a, size_t a_length,
                           const uint8_t *b, size_t b_length, const uint8_t *message, size_t message_length) {
    SHA512_CTX ctx;
    uint8_t digest[64];
    SHA512_Init(&ctx);
    if (prefix.length) SHA512_Update(&ctx, prefix.bytes, prefix.length);
    if (a_length) SHA512_Update(&ctx, a, a_length);
    if (b_length) SHA512_Update(&ctx, b, b_length);
    if (message_length) SHA512_Update(&ctx, message, message_length);
    SHA512_Final(digest, &ctx);
    scalar_reduce64(out, digest);
    memset(digest, 0, sizeof digest);
}

/* §5.1.5 steps 1-2: h = SHA-512(seed); the secret scalar s is the low half with the three low bits
 * cleared (a multiple of the cofactor 8) and bit 254 set; the high half is the nonce prefix. */
typedef struct {
    uint8_t scalar[32];
    uint8_t prefix[32];
} expanded_key;

static void expand_seed(expanded_key *out, const uint8_t seed[32]) {
    uint8_t h[64];
    SHA512(seed, 32, h);
    memcpy(out->scalar, h, 32);
    memcpy(out->prefix, h + 32, 32);
    out->scalar[0] &= 248;
    out->scalar[31] &= 127;
    out->scalar[31] |= 64;
    memset(h, 0, sizeof h);
}

void vellum_ed25519_public_key(const uint8_t seed[32], uint8_t public_key_out[32]) {
    expanded_key key;
    expand_seed(&key, seed);
    point a;
    point_mul_ct(&a, key.scalar, &point_base);  /* §5.1.5 step 3: A = [s]B */
    point_encode(public_key_out, &a);
    memset(&key, 0, sizeof key);
}

/* §5.1.6. */
static void sign(hash_prefix prefix, const uint8_t seed[32], const uint8_t *message, size_t message_length,
                 uint8_t signature_out[64]) {
    expanded_key key;
    expand_seed(&key, seed);
    uint8_t public_key[32];
    point p;
    point_mul_ct(&p, key.scalar, &point_base);
    point_encode(public_key, &p);

    /* Step 2: the nonce r is derived from the secret prefix and the message, never random. */
    uint8_t r[32];
    hash_to_scalar(r, prefix, key.prefix, 32, NULL, 0, message, message_length);
    /* Step 3: R = [r]B. */
    point_mul_ct(&p, r, &point_base);
    point_encode(signature_out, &p);
    /* Step 4: k = SHA-512(dom || R || A || M) mod L. */
    uint8_t k[32];
    hash_to_scalar(k, prefix, signature_out, 32, public_key, 32, message, message_length);
    /* Step 5: S = (r + k s) mod L. */
    scalar_mul_add(signature_out + 32, k, key.scalar, r);

    memset(&key, 0, sizeof key);
    memset(r, 0, sizeof r);
}

/* §5.1.7. Every input is public, so variable-time arithmetic is fine here. */
static int verify(hash_prefix prefix, const uint8_t *message, size_t message_length, const uint8_t public_key[32],
                  const uint8_t signature[64]) {
    const uint8_t *r_bytes = signature, *s_bytes = signature + 32;
    /* Step 1: S must be below L (otherwise S and S + L would both verify: malleability), and R and
     * A must decode. The small-order checks are our addition; see the header. */
    if (!scalar_is_canonical(s_bytes)) return 0;
    point a, r;
    if (!point_decode(&a, public_key) || point_has_small_order(&a)) return 0;
    if (!point_decode(&r, r_bytes) || point_has_small_order(&r)) return 0;

    /* Step 2: k over the bytes as received; they are canonical, having passed decoding. */
    uint8_t k[32];
    hash_to_scalar(k, prefix, r_bytes, 32, public_key, 32, message, message_length);

    /* Step 3, cofactorless: [S]B = R + [k]A, checked as [S]B + [k](-A) = R so that one shared
     * doubling chain computes the left side. */
    point minus_a, left;
    point_negate(&minus_a, &a);
    point_double_mul_vartime(&left, s_bytes, k, &minus_a);
    return point_equal(&left, &r);
}

int vellum_ed25519ph_verify(const uint8_t public_key[32], const uint8_t digest[64], const uint8_t signature[64]) {
    return verify(prefix_ph, digest, 64, public_key, signature);
}

void vellum_ed25519ph_sign(const uint8_t seed[32], const uint8_t digest[64], uint8_t signature_out[64]) {
    sign(prefix_ph, seed, digest, 64, signature_out);
}

int vellum_ed25519_verify_pure(const uint8_t *message, size_t message_len, const uint8_t public_key[32],
                               const uint8_t signature[64]) {
    return verify(prefix_pure, message, message_len, public_key, signature);
}

void vellum_ed25519_sign_pure(const uint8_t seed[32], const uint8_t *message, size_t message_len,
                              uint8_t signature_out[64]) {
    sign(prefix_pure, seed, message, message_len, signature_out);
}
