#define OPENSSL_SUPPRESS_DEPRECATED 1  // SHA256_Init & co.: see the header for why
#include "CVellumSHA256.h"

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

void vellum_sha256_prefixed(uint8_t prefix, const void *data, size_t len, uint8_t *out) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, &prefix, 1);
    if (len) SHA256_Update(&ctx, data, len);
    SHA256_Final(out, &ctx);
}

void vellum_sha256_node(const uint8_t *left, const uint8_t *right, uint8_t *out) {
    // One 65-byte update is measurably faster than three small ones.
    uint8_t buffer[65];
    buffer[0] = 1;
    memcpy(buffer + 1, left, 32);
    memcpy(buffer + 33, right, 32);
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, buffer, sizeof buffer);
    SHA256_Final(out, &ctx);
}

void vellum_sha256(const void *data, size_t len, uint8_t *out) {
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    if (len) SHA256_Update(&ctx, data, len);
    SHA256_Final(out, &ctx);
}

// ---- comparison variants for the benchmark ----

static EVP_MD *fetched_sha256;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static pthread_key_t ctx_key;
static __thread EVP_MD_CTX *thread_ctx;

static void free_ctx(void *ctx) { EVP_MD_CTX_free((EVP_MD_CTX *)ctx); }

static void fetch(void) {
    // Fetched once: an implicit EVP_sha256() lookup per init costs more than the hash itself.
    fetched_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (fetched_sha256 == NULL || pthread_key_create(&ctx_key, free_ctx) != 0) abort();
}

void vellum_sha256_node_evp(const uint8_t *left, const uint8_t *right, uint8_t *out) {
    EVP_MD_CTX *ctx = thread_ctx;
    if (ctx == NULL) {
        pthread_once(&fetch_once, fetch);
        ctx = EVP_MD_CTX_new();
        if (ctx == NULL) abort();
        pthread_setspecific(ctx_key, ctx);  // freed by the key's destructor at thread exit
        thread_ctx = ctx;
    }
    uint8_t buffer[65];
    buffer[0] = 1;
    memcpy(buffer + 1, left, 32);
    memcpy(buffer + 33, right, 32);
    unsigned int outlen = 32;
    if (EVP_DigestInit_ex2(ctx, fetched_sha256, NULL) != 1) abort();
    EVP_DigestUpdate(ctx, buffer, sizeof buffer);
    EVP_DigestFinal_ex(ctx, out, &outlen);
}

void vellum_sha256_node_oneshot(const uint8_t *left, const uint8_t *right, uint8_t *out) {
    uint8_t buffer[65];
    buffer[0] = 1;
    memcpy(buffer + 1, left, 32);
    memcpy(buffer + 33, right, 32);
    SHA256(buffer, sizeof buffer, out);
}
