/* Internal arithmetic for CVellumEd25519: the field GF(2^255 - 19), the edwards25519 group and
 * scalars mod L (RFC 8032 §5.1). Not part of the public header; nothing here is exported to Swift.
 *
 * Invariant for every fe: each limb is below 2^52 ("weakly reduced"), so any two field elements can
 * be multiplied without overflowing the 128-bit accumulators. Every operation below restores it. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* ---- field: integers mod p = 2^255 - 19, five limbs of 51 bits (value = sum limb[i] * 2^(51 i)) ---- */

typedef struct {
    uint64_t limb[5];
} fe;

extern const fe fe_d;       /* d = -121665/121666, the curve constant (RFC 8032 §5.1) */
extern const fe fe_2d;      /* 2d, used by point addition */
extern const fe fe_sqrtm1;  /* 2^((p-1)/4), a square root of -1, used by decoding (§5.1.3 step 3) */

void fe_zero(fe *out);
void fe_one(fe *out);
void fe_add(fe *out, const fe *a, const fe *b);
void fe_sub(fe *out, const fe *a, const fe *b);
void fe_neg(fe *out, const fe *a);
void fe_mul(fe *out, const fe *a, const fe *b);
void fe_square(fe *out, const fe *a);
void fe_invert(fe *out, const fe *a);           /* a^(p-2); 0 maps to 0 */
void fe_pow_p58(fe *out, const fe *a);          /* a^((p-5)/8), the core of the square root */
void fe_select(fe *out, const fe *a, const fe *b, uint64_t pick_b); /* constant time; pick_b is 0 or 1 */
/* Reads 255 bits little-endian, ignoring the top bit; does not check that the value is below p. */
void fe_from_bytes(fe *out, const uint8_t in[32]);
/* Writes the canonical (fully reduced) little-endian encoding. */
void fe_to_bytes(uint8_t out[32], const fe *a);
int fe_is_zero(const fe *a);
int fe_is_negative(const fe *a);                /* "negative" = odd canonical value (§5.1.2) */
int fe_equal(const fe *a, const fe *b);

/* ---- group: points on -x^2 + y^2 = 1 + d x^2 y^2 in extended coordinates (§5.1.4) ----
 * (X : Y : Z : T) with x = X/Z, y = Y/Z, x*y = T/Z. */

typedef struct {
    fe X, Y, Z, T;
} point;

extern const point point_base;  /* B: y = 4/5, x even (§5.1) */

void point_identity(point *out);
void point_add(point *out, const point *p, const point *q);
void point_double(point *out, const point *p);
void point_negate(point *out, const point *p);
int point_equal(const point *p, const point *q);  /* projective comparison: no inversion */
int point_has_small_order(const point *p);          /* [8]P is the identity */
/* RFC 8032 §5.1.3. Returns 0 (and leaves out undefined) for y >= p, no square root, or x = 0 with
 * the sign bit set; 1 on success. */
int point_decode(point *out, const uint8_t in[32]);
void point_encode(uint8_t out[32], const point *p);  /* §5.1.2 */
/* [scalar]P over all 256 bits of a little-endian scalar, without branches or table lookups that
 * depend on the scalar. Used for signing and key derivation. */
void point_mul_ct(point *out, const uint8_t scalar[32], const point *p);
/* [a]B + [b]P, variable time (public inputs only). Used for verification. */
void point_double_mul_vartime(point *out, const uint8_t a[32], const uint8_t b[32], const point *p);

/* ---- little-endian 64-bit words, shared by the field and scalar code ---- */

static inline uint64_t load64_le(const uint8_t *in) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | in[i];
    return v;
}

static inline void store64_le(uint8_t *out, uint64_t v) {
    for (int i = 0; i < 8; i++) out[i] = (uint8_t)(v >> (8 * i));
}

/* ---- scalars: integers mod L = 2^252 + 27742317777372353535851937790883648493 (§5.1) ---- */

/* out = in mod L, for a 64-byte little-endian integer (a SHA-512 output, §5.1.6 steps 2 and 4). */
void scalar_reduce64(uint8_t out[32], const uint8_t in[64]);
/* out = (a * b + c) mod L, all little-endian 32-byte integers (any value below 2^256). */
void scalar_mul_add(uint8_t out[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32]);
/* 1 if the little-endian 32-byte integer is below L: the canonical-S check of §5.1.7 step 1. */
int scalar_is_canonical(const uint8_t s[32]);
