#include <sqlite3.h>

// SQLITE_STATIC and SQLITE_TRANSIENT are macros that cast an integer to a function pointer,
// which Swift cannot import. These return the same values.

/// The destructor value that tells SQLite the bound buffer outlives the binding (no copy).
static inline sqlite3_destructor_type vellum_sqlite_static(void) { return SQLITE_STATIC; }

/// The destructor value that tells SQLite to copy the bound buffer before the bind call returns.
static inline sqlite3_destructor_type vellum_sqlite_transient(void) { return SQLITE_TRANSIENT; }
