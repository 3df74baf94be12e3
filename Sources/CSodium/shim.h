// libsodium (Debian libsodium-dev): Ed25519 and the edwards25519 group operations.
#include <sodium.h>
