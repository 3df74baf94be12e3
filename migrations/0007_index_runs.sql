-- 0007: the two-level indices (0002, 0003) stop merging into b-trees: each sealed generation
-- becomes a sorted run of blocks, and runs of similar size are merged into one (a tiered
-- merge). See docs/PERFORMANCE.md, "append", eleventh session.
--
-- Why: a sealed generation merged into `identities` or `search_index` rewrites most leaves of
-- that b-tree, so the bytes written per row grow with the log (search keys at 1M entries: ~7 KB
-- of WAL per entry, as much again in checkpoint copies). A run is written in key order, a
-- block at a time, and each row is copied once per merge level: ~log4(rows / generation)
-- copies, made in memory a block at a time.
--
-- A block is one row of `identity_blocks` or `search_blocks`: up to 256 index rows in merge
-- order packed into `data` (layout in Sources/VellumSQLite/RunBlock.swift), keyed by its run
-- and its first row. Every key is 32 bytes: an identity, or the SHA-256 of a search key (from
-- this version on, `search_tail` holds those digests too).
--
-- `index_runs` lists each index's runs. `building`: being written (a sealed generation's
-- slices, or a merge's output); lookups skip it, because its rows are still found where they
-- come from (the tail in memory, or the runs being merged). `live`: complete; lookups read it.
-- `retired`: merged into the run `merging_into`, which turned live in the same transaction;
-- its blocks are deleted a few per transaction, then its row. A run being merged is live and
-- names its output in `merging_into`. `rows` is its number of rows (for a sealed generation's
-- run, counted when it is sealed), from which its merge level is derived.
--
-- `index_compactions` holds the merge in progress of each index, if any: its output run and the
-- last row written to it, after which the merge goes on.
--
-- The b-trees `identities` and `search_index` keep the rows merged before this version and are
-- never written again; lookups read them after the runs (`search_index` by the key itself). An
-- identity merge in progress at this version goes on into run 0 (building): its slices below
-- `next_slice` are in the b-tree already, the rest becomes run 0's blocks. The search tail,
-- whose keys were stored as they are, is emptied into `search_index` here (at most two
-- generations of rows), so that it starts over with digests.

CREATE TABLE index_runs (
    tail         TEXT    NOT NULL CHECK (tail IN ('identity', 'search')),
    run          INTEGER NOT NULL CHECK (run >= 0),
    rows         INTEGER NOT NULL CHECK (rows >= 0),
    state        TEXT    NOT NULL CHECK (state IN ('building', 'live', 'retired')),
    merging_into INTEGER CHECK (merging_into >= 0),
    PRIMARY KEY (tail, run)
) STRICT, WITHOUT ROWID;

CREATE TABLE identity_blocks (
    run       INTEGER NOT NULL CHECK (run >= 0),
    first_key BLOB    NOT NULL CHECK (length(first_key) = 32),
    first_idx INTEGER NOT NULL CHECK (first_idx >= 0),
    data      BLOB    NOT NULL CHECK (length(data) >= 4),
    UNIQUE (run, first_key, first_idx)
) STRICT;

CREATE TABLE search_blocks (
    run       INTEGER NOT NULL CHECK (run >= 0),
    first_key BLOB    NOT NULL CHECK (length(first_key) = 32),
    first_idx INTEGER NOT NULL CHECK (first_idx >= 0),
    data      BLOB    NOT NULL CHECK (length(data) >= 4),
    UNIQUE (run, first_key, first_idx)
) STRICT;

CREATE TABLE index_compactions (
    tail       TEXT    NOT NULL PRIMARY KEY CHECK (tail IN ('identity', 'search')),
    output     INTEGER NOT NULL CHECK (output >= 0),
    cursor_key BLOB,
    cursor_idx INTEGER CHECK (cursor_idx >= 0),
    CHECK ((cursor_key IS NULL) = (cursor_idx IS NULL))
) STRICT;

-- The run the sealed generation is written to (meaningful while next_slice < 256).
ALTER TABLE identity_merge ADD COLUMN run INTEGER NOT NULL DEFAULT 0 CHECK (run >= 0);
ALTER TABLE search_merge ADD COLUMN run INTEGER NOT NULL DEFAULT 0 CHECK (run >= 0);

INSERT INTO index_runs (tail, run, rows, state)
SELECT 'identity', 0, (SELECT count(*) FROM identity_tail WHERE seq < m.sealed_end), 'building'
FROM identity_merge AS m WHERE m.next_slice < 256;

INSERT OR IGNORE INTO search_index (key, idx) SELECT key, idx FROM search_tail;
DELETE FROM search_tail;
DELETE FROM search_merge;
