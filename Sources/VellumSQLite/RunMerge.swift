import VellumMerkle
import VellumStorage

/// The tiered merge of a two-level index's runs (`migrations/0007_index_runs.sql`): when
/// `IndexRuns.fanIn` live runs share a level, they are merged into one run of the next level,
/// a few blocks per write transaction, so every row is copied about log4(rows / generation)
/// times in all, each time as part of a block written in key order.
///
/// Crash order: the merge's output is registered as building and its sources name it in the
/// transaction that starts the merge; each transaction appends whole blocks to the output and
/// stores the last row written (the cursor) with them; the last one turns the output live and
/// the sources retired together. A crash anywhere leaves either the sources live and the
/// output building (lookups read the sources, the merge resumes at the stored cursor), or the
/// output live and the sources retired (lookups read the output; the sources' blocks are then
/// deleted a few per transaction).
struct RunMerge {
    typealias Row = RunBlock.Row

    let db: SQLiteConnection
    let tables: TailTables
    let generation: Int

    /// Continues the merge in progress, or starts one when a level has `fanIn` runs, writing
    /// at most `budget` blocks; then deletes at most `budget + fanIn` blocks of retired runs.
    func run(budget: Int) throws {
        var runs = try IndexRuns.load(db, tables)
        var progress = try loadProgress()
        if progress == nil, let sources = Self.sources(runs, generation: generation) {
            let output = IndexRuns.nextRun(runs)
            try IndexRuns.register(db, tables, run: output, rows: Int(sources.reduce(0) { $0 + $1.rows }))
            for source in sources { try IndexRuns.update(db, tables, run: source.run, state: .live, mergingInto: output) }
            progress = (output, nil)
            try saveProgress(output: output, cursor: nil)
            runs = try IndexRuns.load(db, tables)
        }
        if let (output, cursor) = progress {
            let sources = runs.filter { $0.mergingInto == output && $0.state == .live }.map(\.run)
            try merge(sources: sources, into: output, after: cursor, budget: budget)
        }
        // A few blocks more than the merge's budget: retired runs of small generations are
        // many small blocks, and each emptied run's row goes with a delete that finds nothing.
        try IndexRuns.deleteRetired(db, tables, runs: runs, budget: budget + IndexRuns.fanIn)
    }

    /// The runs to merge next: the `fanIn` oldest live runs of the lowest level that has as
    /// many, or nil.
    static func sources(_ runs: [IndexRun], generation: Int) -> [IndexRun]? {
        let candidates = runs.filter { $0.state == .live && $0.mergingInto == nil }
        let byLevel = Dictionary(grouping: candidates) { $0.level(generation: generation) }
        guard let level = byLevel.filter({ $0.value.count >= IndexRuns.fanIn }).keys.min() else { return nil }
        return Array(byLevel[level]!.sorted { $0.run < $1.run }.prefix(IndexRuns.fanIn))
    }

    private func merge(sources: [Int64], into output: Int64, after cursor: Row?, budget: Int) throws {
        var readers = try sources.map { try SourceReader(run: $0, after: cursor, db: db, tables: tables) }
        var block: [Row] = []
        block.reserveCapacity(RunBlock.rows)
        var last = cursor
        var written = 0
        while true {
            var smallest: (number: Int, row: Row)?
            for number in readers.indices {
                guard let head = try readers[number].head(db: db, tables: tables) else { continue }
                if let current = smallest, !Row.precedes(head, current.row) { continue }
                smallest = (number, head)
            }
            guard let (number, row) = smallest else { break }
            readers[number].advance()
            // A row already written (the same row in two sources cannot come from a correct
            // writer; skipping it keeps the output's blocks unique all the same).
            if let last, !Row.precedes(last, row) { continue }
            block.append(row)
            last = row
            if block.count == RunBlock.rows {
                try IndexRuns.writeBlock(db, tables, run: output, rows: block)
                block.removeAll(keepingCapacity: true)
                written += 1
                if written >= budget {
                    try saveProgress(output: output, cursor: row)
                    return
                }
            }
        }
        // Every source is exhausted: the output is complete.
        try IndexRuns.writeBlock(db, tables, run: output, rows: block)
        try IndexRuns.update(db, tables, run: output, state: .live, mergingInto: nil)
        for source in sources { try IndexRuns.update(db, tables, run: source, state: .retired, mergingInto: output) }
        try db.withStatement(tables.runs.deleteCompaction) { try $0.run() }
    }

    private func loadProgress() throws -> (output: Int64, cursor: Row?)? {
        try db.withStatement(tables.runs.selectCompaction) { statement in
            guard try statement.step() else { return nil }
            let output = statement.int64(at: 0)
            guard !statement.isNull(at: 1) else { return (output, nil) }
            return (output, Row(key: try SQLiteLogStorage.hash(statement, at: 1), index: try statement.uint64(at: 2)))
        }
    }

    private func saveProgress(output: Int64, cursor: Row?) throws {
        try db.withStatement(tables.runs.saveCompaction) { statement in
            try statement.bind(output, at: 1)
            guard let cursor else {
                try statement.bindNull(at: 2)
                try statement.bindNull(at: 3)
                return try statement.run()
            }
            try statement.bind(cursor.index, at: 3)
            try cursor.key.withUnsafeBytes { key in try statement.withBlob(key, boundAt: 2) { try statement.run() } }
        }
    }

    /// Reads one source run in merge order, a block at a time, from just after a cursor.
    struct SourceReader {
        let run: Int64
        private var rows: [Row] = []
        private var position = 0
        private var exhausted = false

        init(run: Int64, after cursor: Row?, db: SQLiteConnection, tables: TailTables) throws {
            self.run = run
            // The block holding the cursor, if one starts at or before it; else the first.
            let holding = try cursor.flatMap { cursor in
                try cursor.key.withUnsafeBytes { key in
                    try db.withStatement(tables.runs.blockHolding) { statement in
                        try statement.bind(run, at: 1)
                        try statement.bind(cursor.index, at: 3)
                        return try statement.withBlob(key, boundAt: 2) { try Self.block(statement) }
                    }
                }
            }
            try load(holding ?? db.withStatement(tables.runs.firstBlock) { statement in
                try statement.bind(run, at: 1)
                return try Self.block(statement)
            })
            if let cursor {
                while position < rows.count && !Row.precedes(cursor, rows[position]) { position += 1 }
            }
        }

        /// The next row, loading the next block when this one is used up; nil at the end.
        mutating func head(db: SQLiteConnection, tables: TailTables) throws -> Row? {
            while position == rows.count {
                guard !exhausted, let first = rows.first else { return nil }
                let next = try first.key.withUnsafeBytes { key in
                    try db.withStatement(tables.runs.blockAfter) { statement in
                        try statement.bind(run, at: 1)
                        try statement.bind(first.index, at: 3)
                        return try statement.withBlob(key, boundAt: 2) { try Self.block(statement) }
                    }
                }
                try load(next)
            }
            return rows[position]
        }

        mutating func advance() { position += 1 }

        private mutating func load(_ block: [Row]?) throws {
            guard let block, !block.isEmpty else {
                exhausted = true
                rows = []
                position = 0
                return
            }
            rows = block
            position = 0
        }

        private static func block(_ statement: SQLiteStatement) throws -> [Row]? {
            guard try statement.step() else { return nil }
            return try statement.withBlob(at: 2) { try RunBlock.decode($0) }
        }
    }
}
