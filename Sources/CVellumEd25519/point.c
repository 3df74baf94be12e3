/* The edwards25519 group: -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19) (RFC 8032 §5.1), in
 * extended homogeneous coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, x y = T/Z (§5.1.4).
 *
 * The addition formula is complete for this curve (a = -1 is a square, d is not), so the same code
 * handles doubling, the identity and points of small order; the dedicated doubling is only faster. */
#include "internal.h"

#include <string.h>

/* B from §5.1: y = 4/5 and x the even root. Encoded, that is 0x58 followed by 31 bytes 0x66; the test
 * harness checks both the encoding and that B is on the curve. */
const point point_base = {
    .X = {{0x62d608f25d51a, 0x412a4b4f6592a, 0x75b7171a4b31d, 0x1ff60527118fe, 0x216936d3cd6e5}},
    .Y = {{0x6666666666658, 0x4cccccccccccc, 0x1999999999999, 0x3333333333333, 0x6666666666666}},
    .Z = {{1, 0, 0, 0, 0}},
    .T = {{0x68ab3a5b7dda3, 0x0eea2a5eadbb, 0x2af8df483c27e, 0x332b375274732, 0x67875f0fd78b7}},
};

void point_identity(point *out) {
    fe_zero(&out->X);
    fe_one(&out->Y);
    fe_one(&out->Z);
    fe_zero(&out->T);
}

/* §5.1.4, "add-2008-hwcd-3" of Hisil, Wong, Carter and Dawson: 8 multiplications plus one by 2d. */
void point_add(point *out, const point *p, const point *q) {
    fe a, b, c, d, e, f, g, h, t0, t1;
    fe_sub(&t0, &p->Y, &p->X);
    fe_sub(&t1, &q->Y, &q->X);
    fe_mul(&a, &t0, &t1);
    fe_add(&t0, &p->Y, &p->X);
    fe_add(&t1, &q->Y, &q->X);
    fe_mul(&b, &t0, &t1);
    fe_mul(&t0, &p->T, &q->T);
    fe_mul(&c, &t0, &fe_2d);
    fe_mul(&t0, &p->Z, &q->Z);
    fe_add(&d, &t0, &t0);
    fe_sub(&e, &b, &a);
    fe_sub(&f, &d, &c);
    fe_add(&g, &d, &c);
    fe_add(&h, &b, &a);
    fe_mul(&out->X, &e, &f);
    fe_mul(&out->Y, &g, &h);
    fe_mul(&out->T, &e, &h);
    fe_mul(&out->Z, &f, &g);
}

/* §5.1.4, "dbl-2008-hwcd": 4 multiplications and 4 squarings. */
void point_double(point *out, const point *p) {
    fe a, b, c, e, f, g, h, t0;
    fe_square(&a, &p->X);
    fe_square(&b, &p->Y);
    fe_square(&t0, &p->Z);
    fe_add(&c, &t0, &t0);
    fe_add(&h, &a, &b);
    fe_add(&t0, &p->X, &p->Y);
    fe_square(&t0, &t0);
    fe_sub(&e, &h, &t0);
    fe_sub(&g, &a, &b);
    fe_add(&f, &c, &g);
    fe_mul(&out->X, &e, &f);
    fe_mul(&out->Y, &g, &h);
    fe_mul(&out->T, &e, &h);
    fe_mul(&out->Z, &f, &g);
}

/* -(x, y) = (-x, y). */
void point_negate(point *out, const point *p) {
    fe_neg(&out->X, &p->X);
    out->Y = p->Y;
    out->Z = p->Z;
    fe_neg(&out->T, &p->T);
}

/* x1/z1 = x2/z2 and y1/z1 = y2/z2, cross-multiplied so no inversion is needed. */
int point_equal(const point *p, const point *q) {
    fe left, right;
    fe_mul(&left, &p->X, &q->Z);
    fe_mul(&right, &q->X, &p->Z);
    if (!fe_equal(&left, &right)) return 0;
    fe_mul(&left, &p->Y, &q->Z);
    fe_mul(&right, &q->Y, &p->Z);
    return fe_equal(&left, &right);
}

/* The group has order 8 L; its points of order 1, 2, 4 or 8 are exactly those that [8]P sends to
 * the identity (0, 1), i.e. X = 0 and Y = Z. */
int point_has_small_order(const point *p) {
    point t;
    point_double(&t, p);
    point_double(&t, &t);
    point_double(&t, &t);
    return fe_is_zero(&t.X) && fe_equal(&t.Y, &t.Z);
}

int point_decode(point *out, const uint8_t in[32]) {
    /* Step 1: y is the low 255 bits, x_0 the top bit. Reject y >= p by re-encoding: the canonical
     * encoding of the parsed y must give back the input bytes. */
    int x_0 = in[31] >> 7;
    fe y;
    fe_from_bytes(&y, in);
    uint8_t canonical[32];
    fe_to_bytes(canonical, &y);
    uint8_t y_bytes[32];
    memcpy(y_bytes, in, 32);
    y_bytes[31] &= 0x7f;
    if (memcmp(canonical, y_bytes, 32) != 0) return 0;

    /* Step 2: x^2 = u / v with u = y^2 - 1, v = d y^2 + 1. The candidate root
     * x = u v^3 (u v^7)^((p-5)/8) avoids a separate inversion. */
    fe one, y2, u, v, v3, v7, t, x;
    fe_one(&one);
    fe_square(&y2, &y);
    fe_sub(&u, &y2, &one);
    fe_mul(&v, &y2, &fe_d);
    fe_add(&v, &v, &one);
    fe_square(&t, &v);
    fe_mul(&v3, &t, &v);             /* v^3 */
    fe_square(&t, &v3);
    fe_mul(&v7, &t, &v);             /* v^7 */
    fe_mul(&t, &u, &v7);
    fe_pow_p58(&t, &t);              /* (u v^7)^((p-5)/8) */
    fe_mul(&t, &t, &v3);
    fe_mul(&x, &t, &u);

    /* Step 3: if v x^2 = u, x is a root; if v x^2 = -u, x sqrt(-1) is; otherwise there is none and
     * the bytes do not encode a point. */
    fe vx2, minus_u;
    fe_square(&t, &x);
    fe_mul(&vx2, &t, &v);
    fe_neg(&minus_u, &u);
    if (fe_equal(&vx2, &u)) {
        /* x is already right */
    } else if (fe_equal(&vx2, &minus_u)) {
        fe_mul(&x, &x, &fe_sqrtm1);
    } else {
        return 0;
    }

    /* Step 4: x = 0 has no negative twin, so a set sign bit makes the encoding invalid; otherwise
     * pick the root whose parity matches x_0. */
    if (fe_is_zero(&x) && x_0 == 1) return 0;
    if (fe_is_negative(&x) != x_0) fe_neg(&x, &x);

    out->X = x;
    out->Y = y;
    fe_one(&out->Z);
    fe_mul(&out->T, &x, &y);
    return 1;
}

/* §5.1.2: the canonical y with the parity of x in the top bit. */
void point_encode(uint8_t out[32], const point *p) {
    fe z_inverse, x, y;
    fe_invert(&z_inverse, &p->Z);
    fe_mul(&x, &p->X, &z_inverse);
    fe_mul(&y, &p->Y, &z_inverse);
    fe_to_bytes(out, &y);
    out[31] |= (uint8_t)(fe_is_negative(&x) << 7);
}

static void point_select(point *out, const point *a, const point *b, uint64_t pick_b) {
    fe_select(&out->X, &a->X, &b->X, pick_b);
    fe_select(&out->Y, &a->Y, &b->Y, pick_b);
    fe_select(&out->Z, &a->Z, &b->Z, pick_b);
    fe_select(&out->T, &a->T, &b->T, pick_b);
}

/* Double-and-always-add from the top bit down: the sum is computed for every bit and kept or
 * dropped by a masked select, so the sequence of operations and memory accesses does not depend on
 * the scalar. That is the cheapest way to keep secret scalars off the timing channel; it is not a
 * hardened implementation (no blinding, no audit) -- signing here only serves tests and benchmarks. */
void point_mul_ct(point *out, const uint8_t scalar[32], const point *p) {
    point acc, sum;
    point_identity(&acc);
    for (int i = 255; i >= 0; i--) {
        point_double(&acc, &acc);
        point_add(&sum, &acc, p);
        point_select(&acc, &acc, &sum, (scalar[i / 8] >> (i % 8)) & 1);
    }
    *out = acc;
}

/* Straus/Shamir: one shared chain of doublings for both scalars, adding B, P or B + P at each bit.
 * Branches on the scalars, which is fine for verification where they are public. */
void point_double_mul_vartime(point *out, const uint8_t a[32], const uint8_t b[32], const point *p) {
    point b_plus_p, acc;
    point_add(&b_plus_p, &point_base, p);
    point_identity(&acc);
    int started = 0;
    for (int i = 255; i >= 0; i--) {
        int bit_a = (a[i / 8] >> (i % 8)) & 1;
        int bit_b = (b[i / 8] >> (i % 8)) & 1;
        if (started) point_double(&acc, &acc);
        if (bit_a && bit_b) {
            point_add(&acc, &acc, &b_plus_p);
        } else if (bit_a) {
            point_add(&acc, &acc, &point_base);
        } else if (bit_b) {
            point_add(&acc, &acc, p);
        }
        started |= bit_a | bit_b;
    }
    *out = acc;
}
