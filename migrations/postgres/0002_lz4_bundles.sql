-- 0002: entry bundles and attachments compressed with lz4 instead of PostgreSQL's default
-- pglz. A bundle (up to 256 entries) is stored out of line and compressed; with pglz that
-- compression was a sixth of the server's CPU per batch in `scripts/bench append` (issue 21),
-- and lz4 compresses several times faster. Rows already stored keep their pglz values, which
-- PostgreSQL still reads. A server built without lz4 keeps pglz: the log works the same, slower.
DO $$
BEGIN
    ALTER TABLE entry_bundles ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE attachments ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4; bundles stay compressed with pglz';
END
$$;
