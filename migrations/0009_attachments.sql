-- 0009: attachments, the bytes an entry kind keeps beside an entry without logging them (an
-- intoto entry's statement, when the server keeps attestations: dsse-intoto.md §4). One row per
-- entry that has one, keyed by its log index, written in the batch's transaction with the entry
-- itself: a crash keeps both or neither. Not covered by the tree, the checkpoint or the SET.
CREATE TABLE attachments (
    idx  INTEGER PRIMARY KEY CHECK (idx >= 0),
    data BLOB    NOT NULL
) STRICT;
