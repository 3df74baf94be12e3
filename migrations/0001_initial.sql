-- 0001: the log's page store (ARCHITECTURE.md §5).
--
-- Migrations are numbered, forward-only scripts. Each runs inside a transaction that the
-- migrator opens (no BEGIN/COMMIT here); the migrator then sets PRAGMA user_version to this
-- file's number in the same transaction. After editing anything in migrations/, run
-- scripts/embed-migrations. Never edit a migration that has shipped: add a new one.
--
-- Tables are STRICT (SQLite >= 3.37) so a value of the wrong type is an error, not a silent
-- conversion, and the CHECKs below reject rows that no correct writer produces. Indices and
-- sizes are non-negative integers below 2^63; hashes are 32-byte SHA-256 values.

-- Hash tiles (C2SP tlog-tiles): one row per tile at (level, idx). `data` is the tile's
-- hashes concatenated, so the tile's width is length(data) / 32, from 1 (a partial tile) to
-- 256 (a full tile). Only the tile levels are stored; the inner levels of a tile are recomputed.
-- A partial tile's row is overwritten as the tree grows; a full tile never changes again.
CREATE TABLE tiles (
    level INTEGER NOT NULL CHECK (level >= 0),
    idx   INTEGER NOT NULL CHECK (idx >= 0),
    data  BLOB    NOT NULL CHECK (length(data) BETWEEN 32 AND 8192 AND length(data) % 32 = 0),
    PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- Entry bundles (C2SP tlog-tiles): one row per bundle of up to 256 consecutive entries, holding
-- the bundle bytes as served at /tile/entries/<idx>. Like tiles, a partial bundle's row is
-- overwritten until the bundle is full.
CREATE TABLE entry_bundles (
    idx  INTEGER PRIMARY KEY CHECK (idx >= 0),
    data BLOB    NOT NULL CHECK (length(data) > 0)
) STRICT;

-- The current tree: exactly one row (id = 0) once the log is initialised, updated in the same
-- transaction as the tiles and bundles it describes. `root` is the RFC 6962 root hash of the
-- first `size` entries.
CREATE TABLE tree_state (
    id   INTEGER PRIMARY KEY CHECK (id = 0),
    size INTEGER NOT NULL CHECK (size >= 0),
    root BLOB    NOT NULL CHECK (length(root) = 32)
) STRICT;

-- Every checkpoint the log has signed, by tree size: the history that lets the log prove it
-- never signed two different roots for one size. `note` is the complete signed note as served;
-- `signed_at` is the signing time in Unix milliseconds.
CREATE TABLE checkpoints (
    size      INTEGER PRIMARY KEY CHECK (size >= 0),
    root      BLOB    NOT NULL CHECK (length(root) = 32),
    note      BLOB    NOT NULL CHECK (length(note) > 0),
    signed_at INTEGER NOT NULL
) STRICT;

-- Deduplication and lookup by UUID: the identity hash of an entry (the leaf hash of its
-- canonical body, from which the Rekor UUID is derived) -> its log index.
CREATE TABLE identities (
    leaf_hash BLOB    PRIMARY KEY CHECK (length(leaf_hash) = 32),
    idx       INTEGER NOT NULL CHECK (idx >= 0)
) STRICT, WITHOUT ROWID;

-- Search: one row per (search key, log index). Keys are opaque bytes made by the entry kinds
-- (artifact digest, public key fingerprint, certificate identity); a key should say its kind
-- (a prefix, say) so that keys of different kinds cannot collide. A key may match many entries.
CREATE TABLE search_index (
    key BLOB    NOT NULL CHECK (length(key) > 0),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    PRIMARY KEY (key, idx)
) STRICT, WITHOUT ROWID;

-- Small named facts about the log, such as its tree ID (key 'tree_id').
CREATE TABLE log_metadata (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
