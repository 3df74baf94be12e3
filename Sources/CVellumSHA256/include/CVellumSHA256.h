#ifndef CVELLUM_SHA256_H
#define CVELLUM_SHA256_H

#include <stddef.h>
#include <stdint.h>

// SHA-256 through the system libcrypto (OpenSSL 3, from libssl-dev).
//
// The vellum_sha256* functions use OpenSSL's low-level SHA256_Init/Update/Final on a context on
// the stack: no allocation, no provider dispatch. For the 33- and 65-byte inputs of RFC 6962
// hashing this measured ~11 M/s per core against ~8.5 M/s for a reused EVP_MD_CTX, ~6 M/s for
// swift-crypto and ~3 M/s for the one-shot SHA256() (`scripts/bench merkle` repeats the
// comparison). The low-level API is deprecated in OpenSSL 3 but still shipped; if a future
// libcrypto drops it, switch these bodies to the _evp variant below.
// All functions are thread-safe and write 32 bytes to `out`.

/// SHA-256(prefix || data), where prefix is one byte (0x00 for RFC 6962 leaves).
void vellum_sha256_prefixed(uint8_t prefix, const void *data, size_t len, uint8_t *out);

/// SHA-256(0x01 || left || right) for two 32-byte hashes (RFC 6962 interior node).
void vellum_sha256_node(const uint8_t *left, const uint8_t *right, uint8_t *out);

/// SHA-256(data).
void vellum_sha256(const void *data, size_t len, uint8_t *out);

/// The same node hash through a per-thread reused EVP_MD_CTX (benchmark comparison only).
void vellum_sha256_node_evp(const uint8_t *left, const uint8_t *right, uint8_t *out);

/// The same node hash through OpenSSL's one-shot SHA256() (benchmark comparison only).
void vellum_sha256_node_oneshot(const uint8_t *left, const uint8_t *right, uint8_t *out);

#endif
