-- 0008: a tail table holds one row per write transaction instead of one per index row
-- (docs/PERFORMANCE.md, "append", eleventh session). Every hashedrekord entry records four
-- index rows (its identity and three search keys), and inserting each as a row of its own cost
-- ~1.2 µs of the writer's time, a fifth of its cost per entry. Now a transaction appends its
-- rows as one blob, the way 0006 stores the open bundle's entries.
--
-- A row of `identity_tail` or `search_tail` is a run of index rows recorded by one
-- transaction, in the order recorded: `seq` is the seq of its first row (the rows have
-- seq, seq + 1, …, as before), `count` how many, `data` the rows in the layout of an index
-- block (Sources/VellumSQLite/RunBlock.swift: a u32 count, then 40 bytes a row: the 32-byte
-- key, the index as a little-endian u64), so `length(data) = 4 + 40 * count`.
--
-- What 0002, 0003 and 0005 say of rows holds of the rows in the runs: rows below `sealed_end`
-- form the sealed generation, or, once its merge has finished, rows already in a run, deleted
-- from the head of the table; they are now deleted a run at a time. A seal never splits a run
-- (a transaction's own rows go into the generation it seals), so every run lies wholly on
-- one side of `sealed_end`.
--
-- Each existing row becomes a run of one. The keys are 32 bytes in both tables: identities,
-- and SHA-256 digests of search keys (0007 emptied the search tail of keys stored as they
-- were). The little-endian index is built a byte at a time from a 256-byte literal (SQLite
-- 3.40 has no unhex()).

CREATE TABLE identity_tail_runs (
    seq   INTEGER PRIMARY KEY CHECK (seq >= 0),
    count INTEGER NOT NULL    CHECK (count > 0),
    data  BLOB    NOT NULL    CHECK (length(data) = 4 + 40 * count)
) STRICT;

CREATE TABLE search_tail_runs (
    seq   INTEGER PRIMARY KEY CHECK (seq >= 0),
    count INTEGER NOT NULL    CHECK (count > 0),
    data  BLOB    NOT NULL    CHECK (length(data) = 4 + 40 * count)
) STRICT;

WITH b(bytes) AS (SELECT x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff')
INSERT INTO identity_tail_runs (seq, count, data)
SELECT seq, 1, CAST(x'01000000' || leaf_hash
    || substr(bytes, 1 + (idx & 255), 1) || substr(bytes, 1 + ((idx >> 8) & 255), 1)
    || substr(bytes, 1 + ((idx >> 16) & 255), 1) || substr(bytes, 1 + ((idx >> 24) & 255), 1)
    || substr(bytes, 1 + ((idx >> 32) & 255), 1) || substr(bytes, 1 + ((idx >> 40) & 255), 1)
    || substr(bytes, 1 + ((idx >> 48) & 255), 1) || substr(bytes, 1 + ((idx >> 56) & 255), 1) AS BLOB)
FROM identity_tail, b;

WITH b(bytes) AS (SELECT x'000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff')
INSERT INTO search_tail_runs (seq, count, data)
SELECT seq, 1, CAST(x'01000000' || key
    || substr(bytes, 1 + (idx & 255), 1) || substr(bytes, 1 + ((idx >> 8) & 255), 1)
    || substr(bytes, 1 + ((idx >> 16) & 255), 1) || substr(bytes, 1 + ((idx >> 24) & 255), 1)
    || substr(bytes, 1 + ((idx >> 32) & 255), 1) || substr(bytes, 1 + ((idx >> 40) & 255), 1)
    || substr(bytes, 1 + ((idx >> 48) & 255), 1) || substr(bytes, 1 + ((idx >> 56) & 255), 1) AS BLOB)
FROM search_tail, b;

DROP TABLE identity_tail;
DROP TABLE search_tail;
ALTER TABLE identity_tail_runs RENAME TO identity_tail;
ALTER TABLE search_tail_runs RENAME TO search_tail;
