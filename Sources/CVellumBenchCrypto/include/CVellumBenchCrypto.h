#ifndef CVELLUM_BENCH_CRYPTO_H
#define CVELLUM_BENCH_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

// Signatures through the system libcrypto, for the benchmark's comparison with swift-crypto
// only; Vellum itself signs with swift-crypto, which the benchmark measures faster.
// Each key is an EVP_PKEY; the functions return 1 on success.

void *vellum_bench_ed25519_generate(void);
int vellum_bench_ed25519_sign(void *key, const uint8_t *message, size_t length, uint8_t *signature64);
int vellum_bench_ed25519_verify(void *key, const uint8_t *message, size_t length, const uint8_t *signature64);

void *vellum_bench_p256_generate(void);
/// Writes an ASN.1 DER ECDSA signature over SHA-256(message); `*signatureLength` is the
/// buffer size on entry (72 is enough) and the signature length on return.
int vellum_bench_p256_sign(void *key, const uint8_t *message, size_t length, uint8_t *signature, size_t *signatureLength);
int vellum_bench_p256_verify(void *key, const uint8_t *message, size_t length, const uint8_t *signature, size_t signatureLength);

void vellum_bench_key_free(void *key);

#endif
