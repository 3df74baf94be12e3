/* Arithmetic in GF(p), p = 2^255 - 19 (RFC 8032 §5.1), with five 51-bit limbs.
 *
 * Why radix 2^51: a product of two limbs below 2^52 is below 2^104, so the five-term sums in
 * fe_mul, even with the factor 19 that folds 2^255 back to the bottom (2^255 = 19 mod p), stay far
 * below 2^128 and fit an unsigned __int128 without intermediate carries. */
#include "internal.h"

#define LIMB_MASK ((UINT64_C(1) << 51) - 1)

/* Constants computed from their definitions (d = -121665/121666, sqrt(-1) = 2^((p-1)/4)); the test
 * harness re-derives them with fe_invert and squaring, so a typo here cannot pass unnoticed. */
const fe fe_d = {{0x34dca135978a3, 0x1a8283b156ebd, 0x5e7a26001c029, 0x739c663a03cbb, 0x52036cee2b6ff}};
const fe fe_2d = {{0x69b9426b2f159, 0x35050762add7a, 0x3cf44c0038052, 0x6738cc7407977, 0x2406d9dc56dff}};
const fe fe_sqrtm1 = {{0x61b274a0ea0b0, 0x0d5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d}};

void fe_zero(fe *out) {
    for (int i = 0; i < 5; i++) out->limb[i] = 0;
}

void fe_one(fe *out) {
    fe_zero(out);
    out->limb[0] = 1;
}

/* Moves each limb's excess above 51 bits into the next limb, and the excess of the top limb (a
 * multiple of 2^255) into the bottom one times 19. Leaves every limb below 2^51 + 2^13 or so. */
static void fe_carry(fe *a) {
    uint64_t *l = a->limb;
    for (int i = 0; i < 4; i++) {
        l[i + 1] += l[i] >> 51;
        l[i] &= LIMB_MASK;
    }
    l[0] += 19 * (l[4] >> 51);
    l[4] &= LIMB_MASK;
}

void fe_add(fe *out, const fe *a, const fe *b) {
    for (int i = 0; i < 5; i++) out->limb[i] = a->limb[i] + b->limb[i];
    fe_carry(out);
}

/* a - b computed as a + 4p - b: each limb of 4p exceeds 2^52 > any limb of b, so nothing underflows. */
void fe_sub(fe *out, const fe *a, const fe *b) {
    static const uint64_t four_p[5] = {
        4 * (LIMB_MASK - 18), 4 * LIMB_MASK, 4 * LIMB_MASK, 4 * LIMB_MASK, 4 * LIMB_MASK,
    };
    for (int i = 0; i < 5; i++) out->limb[i] = a->limb[i] + four_p[i] - b->limb[i];
    fe_carry(out);
}

void fe_neg(fe *out, const fe *a) {
    fe zero;
    fe_zero(&zero);
    fe_sub(out, &zero, a);
}

void fe_mul(fe *out, const fe *a, const fe *b) {
    typedef unsigned __int128 u128;
    const uint64_t *x = a->limb, *y = b->limb;
    /* Limb i of the product collects x[j]*y[i-j]; terms whose weight reaches 2^255 or beyond wrap
     * around to limb i-5 with the factor 19. */
    uint64_t y19[5];
    for (int i = 0; i < 5; i++) y19[i] = 19 * y[i];
    u128 r0 = (u128)x[0] * y[0] + (u128)x[1] * y19[4] + (u128)x[2] * y19[3] + (u128)x[3] * y19[2] + (u128)x[4] * y19[1];
    u128 r1 = (u128)x[0] * y[1] + (u128)x[1] * y[0] + (u128)x[2] * y19[4] + (u128)x[3] * y19[3] + (u128)x[4] * y19[2];
    u128 r2 = (u128)x[0] * y[2] + (u128)x[1] * y[1] + (u128)x[2] * y[0] + (u128)x[3] * y19[4] + (u128)x[4] * y19[3];
    u128 r3 = (u128)x[0] * y[3] + (u128)x[1] * y[2] + (u128)x[2] * y[1] + (u128)x[3] * y[0] + (u128)x[4] * y19[4];
    u128 r4 = (u128)x[0] * y[4] + (u128)x[1] * y[3] + (u128)x[2] * y[2] + (u128)x[3] * y[1] + (u128)x[4] * y[0];

    r1 += (uint64_t)(r0 >> 51);
    r2 += (uint64_t)(r1 >> 51);
    r3 += (uint64_t)(r2 >> 51);
    r4 += (uint64_t)(r3 >> 51);
    /* The top carry can reach about 2^60, and 19 times that overflows 64 bits: fold in 128 bits. */
    u128 low = ((uint64_t)r0 & LIMB_MASK) + (r4 >> 51) * 19;
    out->limb[0] = (uint64_t)low & LIMB_MASK;
    out->limb[1] = ((uint64_t)r1 & LIMB_MASK) + (uint64_t)(low >> 51);
    out->limb[2] = (uint64_t)r2 & LIMB_MASK;
    out->limb[3] = (uint64_t)r3 & LIMB_MASK;
    out->limb[4] = (uint64_t)r4 & LIMB_MASK;
}

/* A dedicated squaring would save about a third of the multiplications; kept simple on purpose. */
void fe_square(fe *out, const fe *a) {
    fe_mul(out, a, a);
}

static void fe_square_times(fe *out, const fe *a, int n) {
    fe_square(out, a);
    for (int i = 1; i < n; i++) fe_square(out, out);
}

/* Sets out = a^(2^250 - 1) and eleven = a^11, the shared start of both exponentiations below.
 * Each step doubles the run of one bits in the exponent: a^(2^k - 1) squared j times and multiplied
 * by a^(2^j - 1) gives a^(2^(k+j) - 1). */
static void fe_pow_2_250_minus_1(fe *out, fe *eleven, const fe *a) {
    fe t, a9, e5, e10, e20, e40, e50, e100, e200;
    fe_square_times(&t, a, 3);        /* a^8 */
    fe_mul(&a9, &t, a);               /* a^9 */
    fe_square(&t, a);                 /* a^2 */
    fe_mul(eleven, &a9, &t);          /* a^11 */
    fe_square(&t, eleven);            /* a^22 */
    fe_mul(&e5, &t, &a9);             /* a^31 = a^(2^5 - 1) */
    fe_square_times(&t, &e5, 5);
    fe_mul(&e10, &t, &e5);            /* a^(2^10 - 1) */
    fe_square_times(&t, &e10, 10);
    fe_mul(&e20, &t, &e10);           /* a^(2^20 - 1) */
    fe_square_times(&t, &e20, 20);
    fe_mul(&e40, &t, &e20);           /* a^(2^40 - 1) */
    fe_square_times(&t, &e40, 10);
    fe_mul(&e50, &t, &e10);           /* a^(2^50 - 1) */
    fe_square_times(&t, &e50, 50);
    fe_mul(&e100, &t, &e50);          /* a^(2^100 - 1) */
    fe_square_times(&t, &e100, 100);
    fe_mul(&e200, &t, &e100);         /* a^(2^200 - 1) */
    fe_square_times(&t, &e200, 50);
    fe_mul(out, &t, &e50);            /* a^(2^250 - 1) */
}

/* Fermat: a^(p-2) = a^-1. p - 2 = 2^255 - 21 = (2^250 - 1) * 2^5 + 11. */
void fe_invert(fe *out, const fe *a) {
    fe e250, eleven, t;
    fe_pow_2_250_minus_1(&e250, &eleven, a);
    fe_square_times(&t, &e250, 5);
    fe_mul(out, &t, &eleven);
}

/* (p - 5) / 8 = 2^252 - 3 = (2^250 - 1) * 4 + 1. */
void fe_pow_p58(fe *out, const fe *a) {
    fe e250, eleven, t;
    fe_pow_2_250_minus_1(&e250, &eleven, a);
    fe_square_times(&t, &e250, 2);
    fe_mul(out, &t, a);
}

void fe_select(fe *out, const fe *a, const fe *b, uint64_t pick_b) {
    uint64_t mask = (uint64_t)0 - pick_b;
    for (int i = 0; i < 5; i++) out->limb[i] = a->limb[i] ^ (mask & (a->limb[i] ^ b->limb[i]));
}

void fe_from_bytes(fe *out, const uint8_t in[32]) {
    /* Limb i starts at bit 51 i: byte 51i/8, shifted by 51i mod 8 (plus whole bytes where the
     * 8-byte load has to start earlier to stay inside the buffer). */
    out->limb[0] = load64_le(in) & LIMB_MASK;
    out->limb[1] = (load64_le(in + 6) >> 3) & LIMB_MASK;
    out->limb[2] = (load64_le(in + 12) >> 6) & LIMB_MASK;
    out->limb[3] = (load64_le(in + 19) >> 1) & LIMB_MASK;
    out->limb[4] = (load64_le(in + 24) >> 12) & LIMB_MASK; /* drops bit 255 */
}

void fe_to_bytes(uint8_t out[32], const fe *a) {
    fe t = *a;
    /* Two carry passes leave every limb below 2^51, i.e. a value v in [0, 2^255). */
    fe_carry(&t);
    fe_carry(&t);
    uint64_t *l = t.limb;
    /* v >= p exactly when v + 19 >= 2^255; q is that carry out of bit 255. */
    uint64_t q = (l[0] + 19) >> 51;
    q = (l[1] + q) >> 51;
    q = (l[2] + q) >> 51;
    q = (l[3] + q) >> 51;
    q = (l[4] + q) >> 51;
    /* v - q p = v + 19 q - q 2^255: add 19 q, carry, and drop bit 255. */
    l[0] += 19 * q;
    for (int i = 0; i < 4; i++) {
        l[i + 1] += l[i] >> 51;
        l[i] &= LIMB_MASK;
    }
    l[4] &= LIMB_MASK;
    store64_le(out, l[0] | (l[1] << 51));
    store64_le(out + 8, (l[1] >> 13) | (l[2] << 38));
    store64_le(out + 16, (l[2] >> 26) | (l[3] << 25));
    store64_le(out + 24, (l[3] >> 39) | (l[4] << 12));
}

int fe_is_zero(const fe *a) {
    uint8_t bytes[32];
    fe_to_bytes(bytes, a);
    uint8_t any = 0;
    for (int i = 0; i < 32; i++) any |= bytes[i];
    return any == 0;
}

int fe_is_negative(const fe *a) {
    uint8_t bytes[32];
    fe_to_bytes(bytes, a);
    return bytes[0] & 1;
}

int fe_equal(const fe *a, const fe *b) {
    fe difference;
    fe_sub(&difference, a, b);
    return fe_is_zero(&difference);
}
