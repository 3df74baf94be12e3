#include "CVellumBenchCrypto.h"

#include <openssl/evp.h>

static void *generate(int type, const char *curve) {
    EVP_PKEY *key = NULL;
    if (curve == NULL) {
        key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    } else {
        key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
    }
    (void)type;
    return key;
}

void *vellum_bench_ed25519_generate(void) { return generate(0, NULL); }
void *vellum_bench_p256_generate(void) { return generate(0, "P-256"); }
void vellum_bench_key_free(void *key) { EVP_PKEY_free((EVP_PKEY *)key); }

int vellum_bench_ed25519_sign(void *key, const uint8_t *message, size_t length, uint8_t *signature64) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t out = 64;
    int ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, (EVP_PKEY *)key) == 1
             && EVP_DigestSign(ctx, signature64, &out, message, length) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

int vellum_bench_ed25519_verify(void *key, const uint8_t *message, size_t length, const uint8_t *signature64) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, (EVP_PKEY *)key) == 1
             && EVP_DigestVerify(ctx, signature64, 64, message, length) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

int vellum_bench_p256_sign(void *key, const uint8_t *message, size_t length, uint8_t *signature, size_t *signatureLength) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, (EVP_PKEY *)key) == 1
             && EVP_DigestSign(ctx, signature, signatureLength, message, length) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

int vellum_bench_p256_verify(void *key, const uint8_t *message, size_t length, const uint8_t *signature, size_t signatureLength) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, (EVP_PKEY *)key) == 1
             && EVP_DigestVerify(ctx, signature, signatureLength, message, length) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}
