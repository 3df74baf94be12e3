-- 0006: the entries of the open (partial) bundle as one row per batch instead of one row per
-- entry (docs/PERFORMANCE.md, "append": a half-rate batch spent ~1.6 µs per entry on its
-- `open_entries` rows, ~15% of the writer's time).
--
-- A row of `open_runs` holds the consecutive entries one transaction appended to a bundle that
-- is not full: `idx` is the log index of the first of them, `count` how many there are, and
-- `data` those entries exactly as they sit in the bundle (C2SP tlog-tiles: each entry after a
-- big-endian uint16 length). So the partial bundle is its rows' `data` concatenated in `idx`
-- order, and the batch's bytes are bound as they are, without a statement per entry. The rows
-- of one bundle run without a gap from its first index (each row's `idx` is the previous row's
-- `idx` + `count`), and none crosses a bundle boundary, so `count` is at most 255: the batch
-- that fills a bundle writes its `entry_bundles` row and deletes its open rows, in the same
-- transaction, as before.
--
-- A row of `entry_bundles` still holds a full bundle only, written once.
CREATE TABLE open_runs (
    idx   INTEGER PRIMARY KEY CHECK (idx >= 0),
    count INTEGER NOT NULL    CHECK (count BETWEEN 1 AND 255),
    data  BLOB    NOT NULL    CHECK (length(data) BETWEEN 2 * count AND 65537 * count)
) STRICT;

-- Converting a database at version 5: each `open_entries` row becomes a run of one entry, its
-- length prefix put in front. SQLite 3.40 has no unhex() to make bytes from numbers, so each
-- prefix byte is cut from a 256-byte literal holding every byte value in order (substr of a
-- blob is a blob); `||` joins the pieces byte for byte (as text, which SQLite does not check
-- or convert), and the CAST turns the result back into a blob. The file and the version bump
-- run in one transaction: a crash leaves either version 5 with `open_entries` or version 6
-- with `open_runs`.
INSERT INTO open_runs (idx, count, data)
SELECT idx, 1, CAST(
    substr(x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff', 1 + length(data) / 256, 1)
    || substr(x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff', 1 + length(data) % 256, 1)
    || data AS BLOB)
FROM open_entries;

DROP TABLE open_entries;
