/// Where one two-level index lives in the database, as the SQL its `MergeTail` runs. The
/// statements are built once: the connection caches prepared statements by their text.
struct TailTables: Sendable {
    let selectMergeState: String
    let selectTail: String
    let appendToTail: String
    /// Deletes the runs below a seq (merged rows, from the head of the tail).
    let deleteMerged: String
    /// The last run that starts below a seq.
    let lastRunBefore: String
    let saveMergeState: String
    /// Whether a transaction looks up the rows it recorded itself (dedup of identities);
    /// otherwise it does not index them until they are committed.
    let findsOwnRows: Bool
    /// Whether a key has one row at most (identities), so a run holds it in one block.
    let uniqueKeys: Bool

    /// `name` is the index's name in `index_runs` and `index_compactions`, `blocks` the table
    /// of its runs' blocks, `legacy` the b-tree of the rows merged before runs existed (read,
    /// never written) (`migrations/0007_index_runs.sql`).
    init(name: String, tail: String, mergeState: String, blocks: String, legacy: String,
         legacyKeyColumn: String, findsOwnRows: Bool, uniqueKeys: Bool) {
        self.findsOwnRows = findsOwnRows
        self.uniqueKeys = uniqueKeys
        selectMergeState = "SELECT sealed_end, next_slice, run FROM \(mergeState) WHERE id = 0"
        selectTail = "SELECT seq, count, data FROM \(tail) ORDER BY seq"
        appendToTail = "INSERT INTO \(tail) (seq, count, data) VALUES (?1, ?2, ?3)"
        deleteMerged = "DELETE FROM \(tail) WHERE seq < ?1"
        lastRunBefore = "SELECT seq, count FROM \(tail) WHERE seq < ?1 ORDER BY seq DESC LIMIT 1"
        saveMergeState = "INSERT OR REPLACE INTO \(mergeState) (id, sealed_end, next_slice, run) VALUES (0, ?1, ?2, ?3)"
        selectLegacy = "SELECT idx FROM \(legacy) WHERE \(legacyKeyColumn) = ?1 ORDER BY idx LIMIT ?2"
        runs = RunStatements(name: name, blocks: blocks)
    }

    /// The rows of `legacy` under a key, in order, at most ?2 of them.
    let selectLegacy: String
    /// The index's runs and its merge in progress (`IndexRuns`).
    let runs: RunStatements

    /// `identity_tail` → runs in `identity_blocks` (`migrations/0002_identity_tail.sql`, `0007_index_runs.sql`).
    static let identities = TailTables(name: "identity", tail: "identity_tail",
                                       mergeState: "identity_merge", blocks: "identity_blocks", legacy: "identities",
                                       legacyKeyColumn: "leaf_hash", findsOwnRows: true, uniqueKeys: true)
    /// `search_tail` → runs in `search_blocks` (`migrations/0003_search_tail.sql`, `0007_index_runs.sql`).
    static let search = TailTables(name: "search", tail: "search_tail", mergeState: "search_merge",
                                   blocks: "search_blocks", legacy: "search_index", legacyKeyColumn: "key",
                                   findsOwnRows: false, uniqueKeys: false)
}

/// The SQL of one index's runs (`migrations/0007_index_runs.sql`).
struct RunStatements: Sendable {
    let selectRuns: String
    let selectLiveRuns: String
    let insertRun: String
    let updateRun: String
    let deleteRun: String
    let insertBlock: String
    /// Deletes up to ?2 blocks of run ?1.
    let deleteBlocks: String
    /// The last block of run ?1 that starts below key ?2: the only one before those starting
    /// at ?2 that can hold rows of ?2.
    let blockBefore: String
    /// The blocks of run ?1 that start at key ?2.
    let blocksAt: String
    /// The last block of run ?1 that starts at or below key ?2: the one that can hold ?2 when
    /// keys are unique.
    let blockAtOrBefore: String
    /// The block of run ?1 holding row (?2, ?3): the last that starts at or before it.
    let blockHolding: String
    let firstBlock: String
    /// The block of run ?1 after the one that starts at (?2, ?3).
    let blockAfter: String
    let selectCompaction: String
    let saveCompaction: String
    let deleteCompaction: String

    init(name: String, blocks: String) {
        let tail = "tail = '\(name)'"
        selectRuns = "SELECT run, rows, state, merging_into FROM index_runs WHERE \(tail) ORDER BY run"
        selectLiveRuns = "SELECT run FROM index_runs WHERE \(tail) AND state = 'live' ORDER BY run DESC"
        insertRun = "INSERT INTO index_runs (tail, run, rows, state) VALUES ('\(name)', ?1, ?2, 'building')"
        updateRun = "UPDATE index_runs SET state = ?2, merging_into = ?3 WHERE \(tail) AND run = ?1"
        deleteRun = "DELETE FROM index_runs WHERE \(tail) AND run = ?1"
        insertBlock = "INSERT INTO \(blocks) (run, first_key, first_idx, data) VALUES (?1, ?2, ?3, ?4)"
        deleteBlocks = "DELETE FROM \(blocks) WHERE rowid IN (SELECT rowid FROM \(blocks) WHERE run = ?1 LIMIT ?2)"
        blockBefore = "SELECT data FROM \(blocks) WHERE run = ?1 AND first_key < ?2 ORDER BY first_key DESC, first_idx DESC LIMIT 1"
        blocksAt = "SELECT data FROM \(blocks) WHERE run = ?1 AND first_key = ?2 ORDER BY first_idx"
        blockAtOrBefore = "SELECT data FROM \(blocks) WHERE run = ?1 AND first_key <= ?2 ORDER BY first_key DESC, first_idx DESC LIMIT 1"
        blockHolding = "SELECT first_key, first_idx, data FROM \(blocks) WHERE run = ?1 AND (first_key, first_idx) <= (?2, ?3) "
            + "ORDER BY first_key DESC, first_idx DESC LIMIT 1"
        firstBlock = "SELECT first_key, first_idx, data FROM \(blocks) WHERE run = ?1 ORDER BY first_key, first_idx LIMIT 1"
        blockAfter = "SELECT first_key, first_idx, data FROM \(blocks) WHERE run = ?1 AND (first_key, first_idx) > (?2, ?3) "
            + "ORDER BY first_key, first_idx LIMIT 1"
        selectCompaction = "SELECT output, cursor_key, cursor_idx FROM index_compactions WHERE \(tail)"
        saveCompaction = "INSERT OR REPLACE INTO index_compactions (tail, output, cursor_key, cursor_idx) VALUES ('\(name)', ?1, ?2, ?3)"
        deleteCompaction = "DELETE FROM index_compactions WHERE \(tail)"
    }
}
