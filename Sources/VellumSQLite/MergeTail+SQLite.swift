/// A tail's rows in the database: loading them, and one write transaction's share (record
/// rows, merge the slices that are due, seal a full generation).
extension MergeTail {
    /// Reads the tail into memory (at open, and after a failed write).
    static func load(_ db: SQLiteConnection, _ tables: TailTables) throws -> MergeTail {
        var tail = MergeTail()
        try db.withStatement(tables.selectMergeState) { statement in
            if try statement.step() {
                tail.sealedEnd = statement.int64(at: 0)
                tail.nextSlice = Int(statement.int64(at: 1))
            }
        }
        var sealedRows: [Row] = []
        var activeRows: [Row] = []
        var lastSeq: Int64 = -1
        try db.withStatement(tables.selectTail) { statement in
            while try statement.step() {
                let seq = statement.int64(at: 0)
                let row = Row(key: try Key(statement, column: 1), index: try statement.uint64(at: 2))
                if seq < tail.sealedEnd {
                    sealedRows.append(row)
                    tail.sealed.add(row.key, row.index)
                } else {
                    activeRows.append(row)
                }
                lastSeq = seq
            }
        }
        // The same rows as when the generation was sealed, so the same slices.
        tail.sealedRows = mergeOrder(sealedRows)
        tail.nextSeq = tail.sealedEnd
        tail.append(activeRows, run: mergeOrder(activeRows))
        tail.nextSeq = max(lastSeq + 1, tail.sealedEnd)
        return tail
    }
}

/// One write transaction's use of one tail: what it recorded, merged and sealed, kept apart
/// from the committed `tail` until COMMIT succeeds.
final class TailWriter<Key: TailKey> {
    let db: SQLiteConnection
    let tables: TailTables
    /// The committed tail when the transaction began.
    let tail: MergeTail<Key>
    /// Rows per generation.
    let generation: Int
    private(set) var changes = MergeTail<Key>.Changes()
    private var nextSeq: Int64

    init(db: SQLiteConnection, tables: TailTables, tail: MergeTail<Key>, generation: Int) {
        self.db = db
        self.tables = tables
        self.tail = tail
        self.generation = max(1, generation)
        self.nextSeq = tail.nextSeq
    }

    /// The first index recorded under `key` in the tail, this transaction's rows included
    /// (when `tables.findsOwnRows`).
    func firstIndex(of key: Key) -> UInt64? {
        changes.recorded.first(key) ?? tail.firstIndex(of: key)
    }

    /// Appends a row to the tail table: a new row at its end, on the pages last written.
    func record(_ key: Key, index: UInt64) throws {
        try db.withStatement(tables.appendToTail) { statement in
            try statement.bind(nextSeq, at: 1)
            try statement.bind(index, at: 3)
            try key.withBytes { bytes in try statement.withBlob(bytes, boundAt: 2) { try statement.run() } }
        }
        nextSeq += 1
        changes.rows.append(MergeTail.Row(key: key, index: index))
        if tables.findsOwnRows { changes.recorded.add(key, index) }
    }

    /// The tail's share of the transaction, run last inside it: merges the slices that are due
    /// (all the rest when the active generation is already full, so a merge always ends before
    /// the next one must start), then seals the active generation once it holds `generation`
    /// rows. A crash before COMMIT undoes all of it; after COMMIT the merge position in the
    /// merge-state table says exactly which slices are in the b-tree.
    func finish() throws {
        let slices = MergeTail<Key>.sliceCount
        let recorded = changes.rows.count
        let activeCount = tail.activeRuns.count + recorded
        var nextSlice = tail.nextSlice
        var sealedEnd = tail.sealedEnd
        var changed = false
        // The merge keeps pace with the active generation: once that holds a fraction of a
        // generation, the same fraction of the sealed one (rounded up) is in the b-tree. So it
        // ends before the next seal, and its cost follows the rows each batch adds (a batch of
        // 100 entries does not merge a whole 256-row slice every time).
        let target = activeCount >= generation ? slices : min(slices, (activeCount * slices + generation - 1) / generation)
        if nextSlice < slices && target > nextSlice {
            let through = target
            for number in nextSlice..<through { try merge(tail.slice(number)) }
            if through == slices {
                // The whole generation is in the b-tree now: drop its rows from the head of the tail.
                try db.withStatement(tables.deleteSealed) { statement in
                    try statement.bind(tail.sealedEnd, at: 1)
                    try statement.run()
                }
            }
            changes.mergedThrough = through
            nextSlice = through
            changed = true
        }
        // This transaction's rows join the active generation as one more sorted run (sorting
        // a batch is cheap; sorting a generation at once held up a batch for up to 23 ms).
        var runs = tail.activeRuns
        runs.add(MergeTail.mergeOrder(changes.rows))
        if nextSlice == slices && activeCount >= generation {
            changes.sealedRows = runs.all
            sealedEnd = nextSeq
            nextSlice = 0
            changed = true
        } else {
            changes.activeRuns = runs
        }
        guard changed else { return }
        try db.withStatement(tables.saveMergeState) { statement in
            try statement.bind(sealedEnd, at: 1)
            try statement.bind(Int64(nextSlice), at: 2)
            try statement.run()
        }
    }

    /// Inserts one slice's rows into the b-tree; they are in key order, so consecutive inserts
    /// land on the same few pages.
    private func merge(_ rows: ArraySlice<MergeTail<Key>.Row>) throws {
        guard !rows.isEmpty else { return }
        try db.withStatement(tables.insertMerged) { statement in
            for row in rows {
                try statement.bind(row.index, at: 2)
                try row.key.withBytes { bytes in try statement.withBlob(bytes, boundAt: 1) { try statement.run() } }
                try statement.reset()
            }
        }
    }
}
