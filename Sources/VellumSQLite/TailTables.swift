/// Where one two-level index lives in the database, as the SQL its `MergeTail` runs. The
/// statements are built once: the connection caches prepared statements by their text.
struct TailTables: Sendable {
    let selectMergeState: String
    let selectTail: String
    let appendToTail: String
    /// Deletes the rows below a seq (merged rows, from the head of the tail).
    let deleteMerged: String
    let saveMergeState: String
    /// Inserts one merged row into the b-tree, ignoring a row already there: a merge cut
    /// short by a crash is redone from its stored position, and a search key may be recorded
    /// twice for one entry.
    let insertMerged: String
    /// Whether a transaction looks up the rows it recorded itself (dedup of identities);
    /// otherwise it does not index them until they are committed.
    let findsOwnRows: Bool

    init(tail: String, keyColumn: String, mergeState: String, btree: String, btreeKeyColumn: String, findsOwnRows: Bool) {
        self.findsOwnRows = findsOwnRows
        selectMergeState = "SELECT sealed_end, next_slice FROM \(mergeState) WHERE id = 0"
        selectTail = "SELECT seq, \(keyColumn), idx FROM \(tail) ORDER BY seq"
        appendToTail = "INSERT INTO \(tail) (seq, \(keyColumn), idx) VALUES (?1, ?2, ?3)"
        deleteMerged = "DELETE FROM \(tail) WHERE seq < ?1"
        saveMergeState = "INSERT OR REPLACE INTO \(mergeState) (id, sealed_end, next_slice) VALUES (0, ?1, ?2)"
        insertMerged = "INSERT OR IGNORE INTO \(btree) (\(btreeKeyColumn), idx) VALUES (?1, ?2)"
    }

    /// `identity_tail` → `identities` (`migrations/0002_identity_tail.sql`).
    static let identities = TailTables(tail: "identity_tail", keyColumn: "leaf_hash", mergeState: "identity_merge",
                                       btree: "identities", btreeKeyColumn: "leaf_hash", findsOwnRows: true)
    /// `search_tail` → `search_index` (`migrations/0003_search_tail.sql`).
    static let search = TailTables(tail: "search_tail", keyColumn: "key", mergeState: "search_merge",
                                   btree: "search_index", btreeKeyColumn: "key", findsOwnRows: false)
}
