-- 0001: the log on PostgreSQL (ARCHITECTURE.md §7): the same pages as the SQLite store
-- (tiles, entry bundles, tree state, signed checkpoints) plus the sequencer lease that
-- several `vellum serve` nodes share.
--
-- Each migration runs inside the transaction the migrator opens (no BEGIN/COMMIT here), which
-- also records its number in vellum_schema. After editing anything in migrations/postgres/,
-- run scripts/embed-migrations. Never edit a migration that has shipped: add a new one.
--
-- Indices and sizes are non-negative int8 (below 2^63); hashes are 32-byte SHA-256 values.
-- Unlike the SQLite store there are no index tails or runs: PostgreSQL's b-trees take the
-- random UUID and search keys directly (issue 21: measure before copying that machinery).

-- Hash tiles (C2SP tlog-tiles): the tile's hashes concatenated, 1 to 256 of them. A partial
-- tile's row is replaced as the tree grows; a full one never changes again. Random hashes do
-- not compress, so TOAST is told not to try (EXTERNAL: out of line, uncompressed).
CREATE TABLE tiles (
    level smallint NOT NULL CHECK (level >= 0),
    idx   bigint   NOT NULL CHECK (idx >= 0),
    data  bytea    NOT NULL CHECK (octet_length(data) BETWEEN 32 AND 8192 AND octet_length(data) % 32 = 0),
    PRIMARY KEY (level, idx)
);
ALTER TABLE tiles ALTER COLUMN data SET STORAGE EXTERNAL;

-- Entry bundles (C2SP tlog-tiles): the bundle's bytes so far and how many entries they hold.
-- A batch appends to the open bundle; a full one (256 entries) never changes again.
CREATE TABLE entry_bundles (
    idx     bigint  PRIMARY KEY CHECK (idx >= 0),
    entries integer NOT NULL CHECK (entries BETWEEN 1 AND 256),
    data    bytea   NOT NULL
);

-- Deduplication: an entry's identity hash -> its index. The primary key is also what stops
-- a second copy if two writers ever raced (the fencing token below makes that impossible).
CREATE TABLE identities (
    identity bytea  PRIMARY KEY CHECK (octet_length(identity) = 32),
    idx      bigint NOT NULL CHECK (idx >= 0)
);

-- Search keys (artifact digests, key fingerprints, e-mail addresses...) -> entry indices.
CREATE TABLE search_keys (
    key bytea  NOT NULL,
    idx bigint NOT NULL CHECK (idx >= 0),
    PRIMARY KEY (key, idx)
);

-- Bytes kept beside an entry outside the tree (an intoto statement), by its index.
CREATE TABLE attachments (
    idx  bigint PRIMARY KEY CHECK (idx >= 0),
    data bytea  NOT NULL
);

-- The committed tree: one row, written in the same transaction as the batch's pages and its
-- signed checkpoint.
CREATE TABLE tree_state (
    id   smallint PRIMARY KEY CHECK (id = 1),
    size bigint   NOT NULL CHECK (size >= 0),
    root bytea    NOT NULL CHECK (octet_length(root) = 32)
);

-- Every checkpoint the log signed, by tree size; signed_at in milliseconds since the epoch.
CREATE TABLE checkpoints (
    size      bigint PRIMARY KEY CHECK (size >= 0),
    root      bytea  NOT NULL CHECK (octet_length(root) = 32),
    note      bytea  NOT NULL,
    signed_at bigint NOT NULL CHECK (signed_at >= 0)
);

-- Facts set once at the first start (tree ID, host name of the origin).
CREATE TABLE metadata (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- The sequencer lease: which node may commit batches and sign checkpoints, until when
-- (database time, so the nodes' clocks do not matter), and the fencing token, which grows by
-- one at every change of holder. Every batch transaction first renews the lease WHERE token
-- is its own, so a node that lost the lease commits nothing; `address` is where the holder
-- takes uploads that other nodes forward to it.
CREATE TABLE sequencer_lease (
    id         smallint    PRIMARY KEY CHECK (id = 1),
    holder     text        NOT NULL,
    address    text        NOT NULL,
    token      bigint      NOT NULL CHECK (token >= 0),
    expires_at timestamptz NOT NULL,
    changed_at timestamptz NOT NULL
);
INSERT INTO sequencer_lease VALUES (1, '', '', 0, '-infinity', now());
