import Foundation
import VellumMerkle
import VellumStorage

/// One run of a two-level index, as `index_runs` lists it (`migrations/0007_index_runs.sql`).
struct IndexRun: Sendable, Equatable {
    enum State: String, Sendable { case building, live, retired }

    var run: Int64
    var rows: Int64
    var state: State
    /// The merge output this run goes into (it stays live until that output is complete).
    var mergingInto: Int64?

    /// The run's merge level: 0 for about one generation of rows, 1 for about `fanIn`
    /// generations, 2 for `fanIn`², … (rounded at the geometric midpoints).
    func level(generation: Int) -> Int {
        var level = 0
        var threshold = Int64(max(1, generation)) * 2
        while rows >= threshold {
            level += 1
            threshold *= Int64(IndexRuns.fanIn)
        }
        return level
    }
}

/// The sorted runs of a two-level index in the database: lookups, and the writer's share of
/// a transaction in them (a sealed generation's blocks, the tiered merge, retired runs'
/// deletion). Each function runs inside the caller's transaction or snapshot.
enum IndexRuns {
    /// Runs of one level merged into one of the next.
    static let fanIn = 4

    static func load(_ db: SQLiteConnection, _ tables: TailTables) throws -> [IndexRun] {
        try db.withStatement(tables.runs.selectRuns) { statement in
            var runs: [IndexRun] = []
            while try statement.step() {
                guard let state = IndexRun.State(rawValue: statement.text(at: 2)) else {
                    throw StorageError.corrupt("index_runs holds an unknown state \(statement.text(at: 2))")
                }
                runs.append(IndexRun(run: statement.int64(at: 0), rows: statement.int64(at: 1), state: state,
                                     mergingInto: statement.isNull(at: 3) ? nil : statement.int64(at: 3)))
            }
            return runs
        }
    }

    /// The indices stored under `key` in the live runs, in no particular order. Call it in
    /// one snapshot (a transaction), so that the list of live runs and their blocks agree.
    static func indices(of key: Hash, _ db: SQLiteConnection, _ tables: TailTables) throws -> [UInt64] {
        let live = try db.withStatement(tables.runs.selectLiveRuns) { statement in
            var runs: [Int64] = []
            while try statement.step() { runs.append(statement.int64(at: 0)) }
            return runs
        }
        var result: [UInt64] = []
        // A key's rows may end one block and fill the next ones; a unique key is in one block.
        let queries = tables.uniqueKeys ? [tables.runs.blockAtOrBefore] : [tables.runs.blockBefore, tables.runs.blocksAt]
        try key.withUnsafeBytes { bytes in
            for run in live {
                for sql in queries {
                    try db.withStatement(sql) { statement in
                        try statement.bind(run, at: 1)
                        try statement.withBlob(bytes, boundAt: 2) {
                            while try statement.step() {
                                try statement.withBlob(at: 0) { block in result += try RunBlock.indices(of: key, in: block) }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The indices stored under `key` in the legacy b-tree (`migrations/0007_index_runs.sql`),
    /// in order, at most `limit` of them.
    static func legacyIndices(of key: some ContiguousBytes, _ db: SQLiteConnection, _ tables: TailTables, limit: Int) throws -> [UInt64] {
        try db.withStatement(tables.selectLegacy) { statement in
            try statement.bind(Int64(limit), at: 2)
            return try statement.withBlob(key, boundAt: 1) {
                var result: [UInt64] = []
                while try statement.step() { result.append(try statement.uint64(at: 0)) }
                return result
            }
        }
    }

    /// Writes `rows` (in merge order, not empty) as one block of `run`.
    static func writeBlock(_ db: SQLiteConnection, _ tables: TailTables, run: Int64, rows: some Collection<RunBlock.Row>) throws {
        guard let first = rows.first else { return }
        let block = RunBlock.encode(rows)
        try db.withStatement(tables.runs.insertBlock) { statement in
            try statement.bind(run, at: 1)
            try statement.bind(first.index, at: 3)
            try first.key.withUnsafeBytes { key in
                try statement.withBlob(key, boundAt: 2) {
                    try block.withUnsafeBytes { bytes in try statement.withBlob(bytes, boundAt: 4) { try statement.run() } }
                }
            }
        }
    }

    /// Registers `run` as building, with `rows` rows to come.
    static func register(_ db: SQLiteConnection, _ tables: TailTables, run: Int64, rows: Int) throws {
        try db.withStatement(tables.runs.insertRun) { statement in
            try statement.bind(run, at: 1)
            try statement.bind(Int64(rows), at: 2)
            try statement.run()
        }
    }

    static func update(_ db: SQLiteConnection, _ tables: TailTables, run: Int64, state: IndexRun.State, mergingInto: Int64?) throws {
        try db.withStatement(tables.runs.updateRun) { statement in
            try statement.bind(run, at: 1)
            try statement.bind(state.rawValue, at: 2)
            if let mergingInto { try statement.bind(mergingInto, at: 3) } else { try statement.bindNull(at: 3) }
            try statement.run()
        }
    }

    /// A run id no run uses: ids are reused only after a run's blocks and row are all gone.
    static func nextRun(_ runs: [IndexRun]) -> Int64 { (runs.map(\.run).max() ?? -1) + 1 }

    /// Deletes up to `budget` blocks of retired runs, oldest first, and the rows of the runs
    /// left without blocks.
    static func deleteRetired(_ db: SQLiteConnection, _ tables: TailTables, runs: [IndexRun], budget: Int) throws {
        var budget = budget
        for run in runs where run.state == .retired {
            guard budget > 0 else { return }
            try db.withStatement(tables.runs.deleteBlocks) { statement in
                try statement.bind(run.run, at: 1)
                try statement.bind(Int64(budget), at: 2)
                try statement.run()
            }
            let deleted = db.changes
            budget -= deleted
            if budget > 0 {
                // Fewer than asked for: the run has no blocks left.
                try db.withStatement(tables.runs.deleteRun) { statement in
                    try statement.bind(run.run, at: 1)
                    try statement.run()
                }
            }
        }
    }
}
