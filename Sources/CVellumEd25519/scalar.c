/* Scalars mod L, the prime order of the base point B (RFC 8032 §5.1):
 * L = 2^252 + 27742317777372353535851937790883648493.
 *
 * Reduction is plain binary long division, one bit at a time: slower than Barrett reduction but short
 * and easy to check, and it costs a few microseconds against the ~100 of a scalar multiplication. */
#include "internal.h"

/* L as four 64-bit little-endian limbs, and the same value as bytes for the canonical check. */
static const uint64_t order[4] = {0x5812631a5cf5d3ed, 0x14def9dea2f79cd6, 0, 0x1000000000000000};
static const uint8_t order_bytes[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
};

/* r = in mod L for a 512-bit little-endian integer in eight limbs. Walks the bits from the top,
 * keeping r < L: r = 2 r + bit is then below 2 L < 2^254, and one conditional subtraction of L
 * restores r < L. The subtraction is selected by a mask rather than a branch, because when signing
 * the input is derived from the secret key. */
static void reduce_limbs(uint64_t r[4], const uint64_t in[8]) {
    typedef unsigned __int128 u128;
    r[0] = r[1] = r[2] = r[3] = 0;
    for (int i = 511; i >= 0; i--) {
        uint64_t bit = (in[i / 64] >> (i % 64)) & 1;
        r[3] = (r[3] << 1) | (r[2] >> 63);
        r[2] = (r[2] << 1) | (r[1] >> 63);
        r[1] = (r[1] << 1) | (r[0] >> 63);
        r[0] = (r[0] << 1) | bit;

        uint64_t difference[4], borrow = 0;
        for (int j = 0; j < 4; j++) {
            u128 t = (u128)r[j] - order[j] - borrow;
            difference[j] = (uint64_t)t;
            borrow = (uint64_t)(t >> 64) & 1;
        }
        uint64_t keep_difference = (uint64_t)0 - (borrow ^ 1);  /* all ones when r >= L */
        for (int j = 0; j < 4; j++) r[j] = r[j] ^ (keep_difference & (r[j] ^ difference[j]));
    }
}

static void store_scalar(uint8_t out[32], const uint64_t r[4]) {
    for (int j = 0; j < 4; j++) store64_le(out + 8 * j, r[j]);
}

void scalar_reduce64(uint8_t out[32], const uint8_t in[64]) {
    uint64_t wide[8], r[4];
    for (int j = 0; j < 8; j++) wide[j] = load64_le(in + 8 * j);
    reduce_limbs(r, wide);
    store_scalar(out, r);
}

/* a b + c < (2^256 - 1)^2 + 2^256 < 2^512, so the unreduced result fits eight limbs. */
void scalar_mul_add(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32]) {
    typedef unsigned __int128 u128;
    uint64_t x[4], y[4], wide[8] = {0}, r[4];
    for (int j = 0; j < 4; j++) {
        x[j] = load64_le(a + 8 * j);
        y[j] = load64_le(b + 8 * j);
        wide[j] = load64_le(c + 8 * j);
    }
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 4; j++) {
            u128 t = (u128)x[i] * y[j] + wide[i + j] + carry;
            wide[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        /* Propagate into the limbs above (all of them, so the loop does not depend on secret data);
         * the bound above guarantees nothing carries out of the top limb. */
        for (int k = i + 4; k < 8; k++) {
            u128 t = (u128)wide[k] + carry;
            wide[k] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
    }
    reduce_limbs(r, wide);
    store_scalar(out, r);
}

int scalar_is_canonical(const uint8_t s[32]) {
    for (int i = 31; i >= 0; i--) {
        if (s[i] < order_bytes[i]) return 1;
        if (s[i] > order_bytes[i]) return 0;
    }
    return 0; /* s == L */
}
