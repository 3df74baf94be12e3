import VellumMerkle
import VellumStorage

/// A tail's rows in the database: loading them, and one write transaction's share (record
/// rows, merge the slices that are due, seal a full generation).
extension MergeTail where Key == Hash {
    /// Reads the tail into memory (at open, and after a failed write); `generation` is the
    /// number of rows per generation.
    static func load(_ db: SQLiteConnection, _ tables: TailTables, generation: Int) throws -> MergeTail {
        var tail = MergeTail(generation: generation, hashed: tables.findsOwnRows)
        try db.withStatement(tables.selectMergeState) { statement in
            if try statement.step() {
                tail.sealedEnd = statement.int64(at: 0)
                tail.nextSlice = Int(statement.int64(at: 1))
                tail.sealedRun = statement.int64(at: 2)
            }
        }
        var sealedRows: [Row] = []
        var activeRows: [Row] = []
        var lastSeq: Int64 = -1
        var firstSeq = Int64.max
        try db.withStatement(tables.selectTail) { statement in
            while try statement.step() {
                // One run of rows per transaction that recorded any (`migrations/0008_tail_runs.sql`).
                let first = statement.int64(at: 0)
                let rows = try statement.withBlob(at: 2) { try RunBlock.decode($0) }
                guard rows.count == statement.int64(at: 1) else {
                    throw StorageError.corrupt("the tail run at seq \(first) holds \(rows.count) rows, not \(statement.int64(at: 1))")
                }
                for (offset, row) in rows.enumerated() {
                    let seq = first + Int64(offset)
                    if seq < tail.sealedEnd {
                        // Rows of a finished merge not deleted yet are in a run already.
                        firstSeq = min(firstSeq, seq)
                        if tail.nextSlice < sliceCount {
                            sealedRows.append(row)
                            if tail.hashed { tail.sealed.add(row.key, row.index) }
                        }
                    } else {
                        activeRows.append(row)
                    }
                    lastSeq = seq
                }
            }
        }
        // The same rows as when the generation was sealed, so the same slices.
        tail.sealedRows = mergeOrder(sealedRows)
        tail.activeRuns.add(mergeOrder(activeRows))
        if tail.hashed { for row in activeRows { tail.active.add(row.key, row.index) } }
        tail.nextSeq = max(lastSeq + 1, tail.sealedEnd)
        tail.deletedBelow = min(firstSeq, tail.sealedEnd)
        return tail
    }
}

/// One write transaction's use of one tail: what it recorded, merged and sealed, kept apart
/// from the committed `tail` until COMMIT succeeds.
final class TailWriter {
    typealias Key = Hash

    let db: SQLiteConnection
    let tables: TailTables
    /// The committed tail when the transaction began.
    let tail: MergeTail<Key>
    /// Told of each slice's rows as they are written to the sealed generation's run.
    let merged: ((ArraySlice<MergeTail<Key>.Row>) -> Void)?
    private(set) var changes = MergeTail<Key>.Changes()

    init(db: SQLiteConnection, tables: TailTables, tail: MergeTail<Key>,
         merged: ((ArraySlice<MergeTail<Key>.Row>) -> Void)? = nil) {
        self.merged = merged
        self.db = db
        self.tables = tables
        self.tail = tail
    }

    /// The first index recorded under `key` in the tail, this transaction's rows included
    /// (when `tables.findsOwnRows`).
    func firstIndex(of key: Key) -> UInt64? {
        changes.recorded.first(key) ?? tail.firstIndex(of: key)
    }

    /// Records a row; `finish` appends the transaction's rows to the tail table as one run, at
    /// its end. (Within the transaction, lookups use `changes`.)
    func record(_ key: Key, index: UInt64) throws {
        changes.rows.append(MergeTail.Row(key: key, index: index))
        if tables.findsOwnRows { changes.recorded.add(key, index) }
    }

    /// Appends the recorded rows to the tail table as one run, in the order recorded.
    private func appendRecorded() throws {
        guard !changes.rows.isEmpty else { return }
        let data = RunBlock.encode(changes.rows)
        try db.withStatement(tables.appendToTail) { statement in
            try statement.bind(tail.nextSeq, at: 1)
            try statement.bind(Int64(changes.rows.count), at: 2)
            try data.withUnsafeBytes { bytes in try statement.withBlob(bytes, boundAt: 3) { try statement.run() } }
        }
    }

    /// Deletes the tail's runs that end by `due`, or the first run if none does (so a run
    /// longer than the allowance still goes), and returns where the table now starts. Never
    /// past `sealed_end` as long as `due` is not: runs never straddle it
    /// (`migrations/0008_tail_runs.sql`).
    private func deleteRuns(through due: Int64) throws -> Int64? {
        guard let last = try db.withStatement(tables.lastRunBefore, { statement -> (seq: Int64, end: Int64)? in
            try statement.bind(due, at: 1)
            return try statement.step() ? (statement.int64(at: 0), statement.int64(at: 0) + statement.int64(at: 1)) : nil
        }) else { return nil }
        var end = last.end <= due ? last.end : last.seq
        if end <= tail.deletedBelow { end = last.end }
        guard end > tail.deletedBelow else { return nil }
        try db.withStatement(tables.deleteMerged) { statement in
            try statement.bind(end, at: 1)
            try statement.run()
        }
        return end
    }

    /// The tail's share of the transaction, run last inside it: writes the slices of the
    /// sealed generation that are due as blocks of the generation's run (which turns live with
    /// its last slice), goes on with the tiered merge of the runs (`RunMerge`),
    /// deletes some of the rows a finished slice merge left at the head of the tail table,
    /// then seals the active generation once it holds `generation` rows, registering the run
    /// it will be written to. A crash before COMMIT undoes all of it; after COMMIT the merge
    /// state and `index_runs` say exactly which blocks exist.
    ///
    /// Pacing: the slices are all written by the time the active generation is three quarters
    /// full (all the rest at once if they are not), and the merged rows are deleted over the
    /// last quarter, at least four times as many per transaction as it records, all the rest
    /// before a seal; the tiered merge writes and deletes up to eight blocks' worth of rows for
    /// each row recorded. So each batch does work in proportion to its own rows: deleting a
    /// whole 65,536-row generation in one statement took 11–14 ms, and every entry waiting
    /// behind that batch took as long. A seal needs the old rows gone: the merge state says
    /// only "rows below `sealed_end` are the sealed generation", so rows left from the
    /// generation before would be mistaken for part of the new one.
    func finish() throws {
        try appendRecorded()
        let slices = MergeTail<Key>.sliceCount
        let recorded = changes.rows.count
        let activeCount = tail.activeRuns.count + recorded
        var nextSlice = tail.nextSlice
        var sealedEnd = tail.sealedEnd
        var changed = false
        // Once the active generation holds a fraction of three quarters of a generation, the
        // same fraction of the sealed one (rounded up) is in its run.
        let mergeEnd = max(1, tail.generation * 3 / 4)
        let target = activeCount >= mergeEnd ? slices : min(slices, (activeCount * slices + mergeEnd - 1) / mergeEnd)
        if nextSlice < slices && target > nextSlice {
            let through = target
            try merge((nextSlice..<through).flatMap { tail.distinctRows(ofSlice: $0) })
            changes.mergedThrough = through
            nextSlice = through
            changed = true
            if through == slices {
                try IndexRuns.update(db, tables, run: tail.sealedRun, state: .live, mergingInto: nil)
            }
        }
        // Eight blocks' worth of rows per row recorded: each row is copied about once per
        // level, and there are a handful of levels.
        try RunMerge(db: db, tables: tables, generation: tail.generation)
            .run(budget: max(1, (8 * recorded + RunBlock.rows - 1) / RunBlock.rows))
        if nextSlice == slices && tail.deletedBelow < sealedEnd {
            let due = activeCount >= tail.generation ? sealedEnd : min(sealedEnd, tail.deletedBelow + Int64(max(256, 4 * recorded)))
            if let end = try deleteRuns(through: due) { changes.deletedBelow = end }
        }
        // This transaction's rows join the active generation as one more sorted run (sorting
        // a batch is cheap; sorting a generation at once held up a batch for up to 23 ms).
        var runs = tail.activeRuns
        runs.add(MergeTail.mergeOrder(changes.rows))
        var sealedRun = tail.sealedRun
        if nextSlice == slices && activeCount >= tail.generation {
            let sealedRows = runs.all
            changes.sealedRows = sealedRows
            sealedRun = IndexRuns.nextRun(try IndexRuns.load(db, tables))
            try IndexRuns.register(db, tables, run: sealedRun, rows: sealedRows.count)
            changes.sealedRun = sealedRun
            sealedEnd = tail.nextSeq + Int64(recorded)
            nextSlice = 0
            changed = true
        } else {
            changes.activeRuns = runs
        }
        guard changed else { return }
        try db.withStatement(tables.saveMergeState) { statement in
            try statement.bind(sealedEnd, at: 1)
            try statement.bind(Int64(nextSlice), at: 2)
            try statement.bind(sealedRun, at: 3)
            try statement.run()
        }
    }

    /// Writes slices of the sealed generation to its run, in blocks of up to `RunBlock.rows`
    /// rows; the slices are consecutive and in key order, so the run's blocks follow each other.
    private func merge(_ rows: [MergeTail<Key>.Row]) throws {
        guard !rows.isEmpty else { return }
        merged?(rows[...])
        for start in stride(from: 0, to: rows.count, by: RunBlock.rows) {
            try IndexRuns.writeBlock(db, tables, run: tail.sealedRun, rows: rows[start..<min(rows.count, start + RunBlock.rows)])
        }
    }
}
