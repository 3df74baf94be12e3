-- 0002: a two-level identity index, so that recording an identity costs a sequential append
-- instead of a random b-tree page (docs/PERFORMANCE.md, "append").
--
-- Identities are random hashes. Inserting each batch's identities straight into the b-tree of
-- `identities` dirties about one 4 KiB page per entry once that tree is larger than a batch,
-- and every dirty page is written twice (WAL, then checkpoint): at a million entries that was
-- ~9 KiB of writes per 1 KiB entry. Now a batch appends its identities to `identity_tail`
-- (rowid order: new rows fill new pages), and the writer keeps the tail's identities in memory
-- for lookups. When the tail holds a generation's worth of rows, that generation is sealed
-- and merged into `identities` a slice at a time, in key order (slice b = the identities whose
-- first byte is b), one or more slices per batch, so each page of `identities` is written
-- about once per generation instead of once per entry. Both steps happen inside the batch's
-- own transaction: an identity is durable exactly when its entry is.
--
-- Lookups check the tail (memory) first, then `identities`. An identity of a generation being
-- merged may briefly be in both; it has the same index in each.

-- The tail: identities recorded since the last completed merge, in the order they were
-- recorded. `seq` only grows.
CREATE TABLE identity_tail (
    seq       INTEGER PRIMARY KEY CHECK (seq >= 0),
    leaf_hash BLOB    NOT NULL CHECK (length(leaf_hash) = 32),
    idx       INTEGER NOT NULL CHECK (idx >= 0)
) STRICT;

-- Merge progress, one row (id = 0) once a generation has been sealed: tail rows with
-- seq < sealed_end form the sealed generation; its slices below next_slice are already in
-- `identities`. next_slice = 256 means no merge is in progress (the sealed rows are gone).
CREATE TABLE identity_merge (
    id         INTEGER PRIMARY KEY CHECK (id = 0),
    sealed_end INTEGER NOT NULL CHECK (sealed_end >= 0),
    next_slice INTEGER NOT NULL CHECK (next_slice BETWEEN 0 AND 256)
) STRICT;
