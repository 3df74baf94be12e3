/// The in-memory half of a two-level index (`migrations/0002_identity_tail.sql`,
/// `0003_search_tail.sql`, `0007_index_runs.sql`): every row of the tail table, for lookups
/// without touching the runs, and the sealed generation's rows in merge order.
///
/// It mirrors committed rows only: the writer changes it after a COMMIT succeeds, and reloads
/// it from the table after a failed write. Its size is bounded by two generations plus one
/// batch.
struct MergeTail<Key: TailKey>: Sendable {
    struct Row: Sendable {
        var key: Key
        var index: UInt64

        /// Merge order: by key as SQLite orders it, then by index.
        static func precedes(_ a: Row, _ b: Row) -> Bool {
            a.key == b.key ? a.index < b.index : a.key < b.key
        }
    }

    /// A sealed generation is merged in this many slices of (nearly) equal size, each a run
    /// of consecutive keys, a few per write transaction.
    static var sliceCount: Int { 256 }

    /// Rows per generation: the active lookup is made this big from the start, so it never
    /// grows inside a commit. (Growing rehashes every row: at ~49,000 identities that took up
    /// to 25 ms of CPU in one batch's commit, and every entry behind that batch waited.)
    let generation: Int
    /// The rows after the sealed generation (seq ≥ `sealedEnd`), in merge order, as sorted runs
    /// (see `SortedRuns`), and by key.
    var activeRuns = SortedRuns<Key>()
    var active: TailLookup<Key>
    /// The sealed generation (seq < `sealedEnd`) in merge order, merged slices included: the
    /// slicing depends on all of them, and they leave together when the merge ends.
    var sealedRows: [Row] = []
    var sealed = TailLookup<Key>()
    /// The first slice still to merge; `sliceCount` when no merge is in progress.
    var nextSlice = Self.sliceCount
    var sealedEnd: Int64 = 0
    /// The run the sealed generation's slices are written to (`migrations/0007_index_runs.sql`);
    /// building until the last slice is written.
    var sealedRun: Int64 = 0
    /// The seq the next recorded row gets.
    var nextSeq: Int64 = 0
    /// Rows with a smaller seq are deleted from the tail table. Between `deletedBelow` and
    /// `sealedEnd`, once a merge has finished, are rows already in a run, deleted a few
    /// per transaction.
    var deletedBelow: Int64 = 0

    /// Whether lookups go through the dictionaries `active` and `sealed` (identities, which the
    /// writer looks up for every new entry) or binary-search the sorted rows (search keys,
    /// looked up only by reads): a dictionary costs a hash and an insertion per row recorded
    /// (with three search keys per entry, a sixth of the writer's time when keys were stored
    /// as they are) and memory for a whole generation.
    let hashed: Bool

    init(generation: Int, hashed: Bool = true) {
        self.generation = max(1, generation)
        self.hashed = hashed
        active = hashed ? TailLookup(capacity: self.generation) : TailLookup()
    }

    /// The first index recorded under `key` in the tail, if any.
    func firstIndex(of key: Key) -> UInt64? {
        hashed ? active.first(key) ?? sealed.first(key) : indices(of: key).min()
    }

    /// Every index recorded under `key` in the tail, in no particular order.
    func indices(of key: Key) -> [UInt64] {
        guard !hashed else { return active.all(key) + sealed.all(key) }
        return activeRuns.runs.flatMap { Self.indices(of: key, in: $0) } + Self.indices(of: key, in: sealedRows)
    }

    /// The indices under `key` in `rows`, which are in merge order.
    static func indices(of key: Key, in rows: [Row]) -> [UInt64] {
        var low = 0
        var high = rows.count
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].key < key { low = middle + 1 } else { high = middle }
        }
        var result: [UInt64] = []
        while low < rows.count && rows[low].key == key {
            result.append(rows[low].index)
            low += 1
        }
        return result
    }

    /// Slice `number` of the sealed generation.
    func slice(_ number: Int) -> ArraySlice<Row> {
        let count = sealedRows.count
        return sealedRows[count * number / Self.sliceCount ..< count * (number + 1) / Self.sliceCount]
    }

    /// The rows of slice `number` as its run holds them: each row once. (A search key
    /// recorded twice for one entry is one row of the index, and two equal rows starting two
    /// blocks would collide in the run.)
    func distinctRows(ofSlice number: Int) -> [Row] {
        let range = slice(number).indices
        return range.filter { $0 == 0 || Row.precedes(sealedRows[$0 - 1], sealedRows[$0]) }.map { sealedRows[$0] }
    }

    /// `rows` in the order they go into a run: by key as SQLite orders it, then index.
    static func mergeOrder(_ rows: [Row]) -> [Row] {
        rows.sorted(by: Row.precedes)
    }

    /// What one write transaction did to the tail, applied by `commit` once it is durable.
    struct Changes: Sendable {
        /// Rows recorded, in seq order, and (for tails that find their own rows) the same rows
        /// for lookups within the transaction.
        var rows: [Row] = []
        var recorded = TailLookup<Key>()
        /// The active generation's runs with `rows` added, unless the transaction sealed it.
        var activeRuns: SortedRuns<Key>?
        /// The merge position after the transaction, if it merged slices.
        var mergedThrough: Int?
        /// Where `deletedBelow` is after the transaction, if it deleted merged rows.
        var deletedBelow: Int64?
        /// Set when the transaction sealed the active generation (its own rows included):
        /// that generation in merge order, and the run it is written to.
        var sealedRows: [Row]?
        var sealedRun: Int64?
    }

    /// Applies a committed transaction's `changes`.
    mutating func commit(_ changes: Changes) {
        // The transaction's rows join the active generation (which a seal below turns sealed).
        if hashed { for row in changes.rows { active.add(row.key, row.index) } }
        if let runs = changes.activeRuns { activeRuns = runs }
        nextSeq += Int64(changes.rows.count)
        if let through = changes.mergedThrough {
            nextSlice = through
            if through == Self.sliceCount {
                sealedRows = []
                sealed = TailLookup()
            }
        }
        if let below = changes.deletedBelow { deletedBelow = below }
        if let rows = changes.sealedRows {
            sealedRows = rows
            sealed = active
            activeRuns = SortedRuns()
            active = hashed ? TailLookup(capacity: generation) : TailLookup()
            sealedEnd = nextSeq
            nextSlice = 0
            if let run = changes.sealedRun { sealedRun = run }
        }
    }
}

/// Key → indices for the rows of a tail. Most keys have one index (identities always do), so
/// the first lives in one dictionary and only further ones allocate an array.
struct TailLookup<Key: Hashable & Sendable>: Sendable {
    private var firsts: [Key: UInt64] = [:]
    private var more: [Key: [UInt64]] = [:]

    init() {}

    /// Room for `capacity` keys without growing.
    init(capacity: Int) { firsts.reserveCapacity(capacity) }

    func first(_ key: Key) -> UInt64? { firsts[key] }

    /// Keys it holds before it has to grow.
    var capacity: Int { firsts.capacity }

    func all(_ key: Key) -> [UInt64] {
        guard let first = firsts[key] else { return [] }
        return [first] + (more[key] ?? [])
    }

    mutating func add(_ key: Key, _ index: UInt64) {
        if firsts.index(forKey: key) == nil {
            firsts[key] = index
        } else {
            more[key, default: []].append(index)
        }
    }
}

/// Rows kept in order as a few sorted runs, so that the active generation is in merge order
/// when it is sealed without sorting it all at once on the writer. (That sort, of 65,536
/// identities, took 6–23 ms inside one batch's transaction, and every entry waiting behind
/// that batch took as long.) Each batch adds its rows as a run, sorted on its own; runs are
/// merged whenever one is not at least twice as long as the next, so there are at most
/// log2(rows) + 1 of them and each row is moved about log2(rows) times, spread over the
/// batches. The longest step is one merge of everything, a single linear pass.
struct SortedRuns<Key: TailKey>: Sendable {
    typealias Row = MergeTail<Key>.Row

    /// Longest first; each at least twice as long as the next.
    private(set) var runs: [[Row]] = []
    private(set) var count = 0

    /// Adds `run`, which must be in merge order.
    mutating func add(_ run: [Row]) {
        guard !run.isEmpty else { return }
        runs.append(run)
        count += run.count
        while runs.count >= 2 && runs[runs.count - 2].count < 2 * runs[runs.count - 1].count {
            let last = runs.removeLast()
            runs[runs.count - 1] = Self.merged(runs[runs.count - 1], last)
        }
    }

    /// Every row, in merge order: the runs merged smallest first.
    var all: [Row] {
        var result: [Row] = []
        for run in runs.reversed() { result = result.isEmpty ? run : Self.merged(run, result) }
        return result
    }

    /// `a` and `b` merged; on a tie the row of `a` comes first.
    static func merged(_ a: [Row], _ b: [Row]) -> [Row] {
        var result: [Row] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if Row.precedes(b[j], a[i]) {
                result.append(b[j])
                j += 1
            } else {
                result.append(a[i])
                i += 1
            }
        }
        result.append(contentsOf: a[i...])
        result.append(contentsOf: b[j...])
        return result
    }
}
