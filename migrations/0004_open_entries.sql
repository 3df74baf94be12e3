-- 0004: the open (partial) entry bundle as one row per entry, so that a batch writes only its
-- new entries (docs/PERFORMANCE.md, "http": the write volume per upload).
--
-- Until now each batch rewrote the whole open bundle's row in `entry_bundles`: with the HTTP
-- server's batches of ~30 entries of ~700 bytes that is ~90 KiB per batch on average (an UPDATE
-- of a blob rewrites all of its overflow pages, and WAL writes every page twice), about a
-- quarter of what an upload writes. From this version on:
--
-- * `entry_bundles` holds FULL bundles only (256 entries), each written once, when the batch
--   that fills it commits; a full bundle never changes again.
-- * The entries of a bundle that is not full yet live in `open_entries`, one row per entry,
--   keyed by the entry's log index. A batch inserts a row per new entry; the batch that fills
--   the bundle writes its `entry_bundles` row and deletes its `open_entries` rows in the same
--   transaction, so at every commit each entry is in exactly one of the two tables.
--
-- Readers look in `entry_bundles` first and assemble a partial bundle from `open_entries`
-- (`SQLiteLogStorage.entryBundle(index:)`), both in one read transaction.

-- One row per entry of a bundle that is not full: `idx` is the entry's log index (bundle
-- idx / 256, position idx % 256); `data` is the entry without its length prefix, so at most
-- 65535 bytes (C2SP tlog-tiles entry bundles: a big-endian uint16 length per entry). The rows
-- of one bundle are contiguous from its first index.
CREATE TABLE open_entries (
    idx  INTEGER PRIMARY KEY CHECK (idx >= 0),
    data BLOB    NOT NULL CHECK (length(data) <= 65535)
) STRICT;

-- Converting an older database (version 3 or below). The sequencer only ever left the LAST
-- bundle of the log partial, as a row in `entry_bundles`, so that row is split into
-- `open_entries` when it holds fewer than 256 entries (a full last bundle stays where it is).
-- Every other row is full and is not touched: splitting all of them would read every bundle of
-- the log.
--
-- Why in SQL, here, rather than in Swift when the store opens: the migrator runs this file and
-- the `user_version` bump in one transaction, so a crash leaves either the old version with the
-- old row or version 4 with the rule above already true. A Swift step after the migration would
-- commit separately, so a version-4 database could still hold a partial row, and every open
-- would have to look for one forever.
--
-- SQLite 3.40 has no unhex(), so a length prefix is read as hex(substr(data, p, 2)) and its four
-- hex digits are turned into a number with instr() on the digit string. `prefix` walks the row
-- from one length prefix (1-based byte offset `p`) to the next; it stops one byte past the end
-- of a well-formed bundle. `legacy_entries` checks that each entry (`ends_at`: the 1-based
-- offset of its last byte, or of its length prefix when it is empty) lies inside the row and
-- that there are at most 256, so a malformed row fails the migration (rolled back, the old
-- version kept) instead of being converted into truncated entries.
CREATE TEMP TABLE legacy_entries (
    idx     INTEGER PRIMARY KEY,
    pos     INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    ends_at INTEGER NOT NULL,
    size    INTEGER NOT NULL,
    CONSTRAINT "the last row of entry_bundles is not a valid entry bundle (an entry runs past its end, or it holds more than 256 entries), so it cannot be converted; restore the database from a backup, or repair that row, then open it again"
        CHECK (ends_at <= size AND pos < 256)
) STRICT;

WITH RECURSIVE prefix(bundle, pos, p) AS (
    SELECT idx, 0, 1 FROM entry_bundles WHERE idx = (SELECT max(idx) FROM entry_bundles)
    UNION ALL
    SELECT prefix.bundle, prefix.pos + 1, prefix.p + 2 + (
        SELECT (instr('0123456789ABCDEF', substr(h, 1, 1)) - 1) * 4096
             + (instr('0123456789ABCDEF', substr(h, 2, 1)) - 1) * 256
             + (instr('0123456789ABCDEF', substr(h, 3, 1)) - 1) * 16
             + (instr('0123456789ABCDEF', substr(h, 4, 1)) - 1)
        FROM (SELECT hex(substr(bundle.data, prefix.p, 2)) AS h))
    FROM prefix JOIN entry_bundles AS bundle ON bundle.idx = prefix.bundle
    WHERE prefix.p <= length(bundle.data)
),
bounds AS (
    SELECT bundle, pos, p, lead(p) OVER (ORDER BY pos) AS next FROM prefix
)
INSERT INTO temp.legacy_entries (idx, pos, data, ends_at, size)
SELECT bounds.bundle * 256 + bounds.pos, bounds.pos,
       substr(bundle.data, bounds.p + 2, bounds.next - bounds.p - 2),
       bounds.next - 1, length(bundle.data)
FROM bounds JOIN entry_bundles AS bundle ON bundle.idx = bounds.bundle
WHERE bounds.next IS NOT NULL;

INSERT INTO open_entries (idx, data)
SELECT idx, data FROM temp.legacy_entries WHERE (SELECT count(*) FROM temp.legacy_entries) < 256;

DELETE FROM entry_bundles WHERE idx IN (SELECT idx / 256 FROM open_entries);

DROP TABLE temp.legacy_entries;
