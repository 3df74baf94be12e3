-- 0003: the search index gets two levels, like the identity index (0002), and both are merged
-- in slices of equal size (docs/PERFORMANCE.md, "http").
--
-- Search keys (artifact digests, key fingerprints, e-mail addresses and certificate subjects)
-- are as scattered as identities: inserting each batch's two or three keys per entry straight
-- into `search_index` dirtied about one b-tree page per key, written twice (WAL, then
-- checkpoint); with small batches that was most of the ~34 KB the server wrote per upload.
-- Now a batch appends its rows to `search_tail`, the writer keeps the tail in memory for
-- lookups, and a sealed generation is merged into `search_index` in key order, a slice at a
-- time, inside the batches' own transactions, exactly as 0002 describes for identities.
--
-- Slices: a sealed generation, sorted by (key, index) as SQLite orders them, is cut into 256
-- runs of (nearly) equal length; slice n is the n-th run. (0002 sliced identities by their
-- first byte, which is even only for random keys; search keys share prefixes.) Lookups check
-- the tail first, then the b-tree; a row of a generation being merged may be in both.

CREATE TABLE search_tail (
    seq INTEGER PRIMARY KEY CHECK (seq >= 0),
    key BLOB    NOT NULL CHECK (length(key) > 0),
    idx INTEGER NOT NULL CHECK (idx >= 0)
) STRICT;

-- Merge progress, as in identity_merge: tail rows with seq < sealed_end form the sealed
-- generation; its slices below next_slice are already in `search_index`.
CREATE TABLE search_merge (
    id         INTEGER PRIMARY KEY CHECK (id = 0),
    sealed_end INTEGER NOT NULL CHECK (sealed_end >= 0),
    next_slice INTEGER NOT NULL CHECK (next_slice BETWEEN 0 AND 256)
) STRICT;

-- An identity merge in progress was sliced by first byte; the slices are now runs of equal
-- length, so restart it from the first slice. Merging is idempotent (rows already in the
-- b-tree are skipped), so the rows merged before are simply met again.
UPDATE identity_merge SET next_slice = 0 WHERE next_slice < 256;
