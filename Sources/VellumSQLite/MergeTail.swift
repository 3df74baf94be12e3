/// The in-memory half of a two-level index (`migrations/0002_identity_tail.sql`,
/// `0003_search_tail.sql`): every row of the tail table, for lookups without touching the
/// b-tree, and the sealed generation's rows in merge order.
///
/// It mirrors committed rows only: the writer changes it after a COMMIT succeeds, and reloads
/// it from the table after a failed write. Its size is bounded by two generations plus one
/// batch.
struct MergeTail<Key: TailKey>: Sendable {
    struct Row: Sendable {
        var key: Key
        var index: UInt64
    }

    /// A sealed generation is merged in this many slices of (nearly) equal size, each a run
    /// of consecutive keys, a few per write transaction.
    static var sliceCount: Int { 256 }

    /// The rows after the sealed generation (seq ≥ `sealedEnd`), in seq order, and by key.
    var activeRows: [Row] = []
    var active = TailLookup<Key>()
    /// The sealed generation (seq < `sealedEnd`) in merge order, merged slices included: the
    /// slicing depends on all of them, and they leave together when the merge ends.
    var sealedRows: [Row] = []
    var sealed = TailLookup<Key>()
    /// The first slice still to merge; `sliceCount` when no merge is in progress.
    var nextSlice = Self.sliceCount
    var sealedEnd: Int64 = 0
    /// The seq the next recorded row gets.
    var nextSeq: Int64 = 0

    /// The first index recorded under `key` in the tail, if any.
    func firstIndex(of key: Key) -> UInt64? { active.first(key) ?? sealed.first(key) }

    /// Every index recorded under `key` in the tail, in no particular order.
    func indices(of key: Key) -> [UInt64] { active.all(key) + sealed.all(key) }

    /// Slice `number` of the sealed generation.
    func slice(_ number: Int) -> ArraySlice<Row> {
        let count = sealedRows.count
        return sealedRows[count * number / Self.sliceCount ..< count * (number + 1) / Self.sliceCount]
    }

    /// `rows` in the order they go into the b-tree: by key as SQLite orders it, then index.
    static func mergeOrder(_ rows: [Row]) -> [Row] {
        rows.sorted { $0.key == $1.key ? $0.index < $1.index : $0.key < $1.key }
    }

    /// Adds a committed row after the sealed generation.
    mutating func append(_ row: Row) {
        activeRows.append(row)
        active.add(row.key, row.index)
        nextSeq += 1
    }

    /// What one write transaction did to the tail, applied by `commit` once it is durable.
    struct Changes: Sendable {
        /// Rows recorded, in seq order, and (for tails that find their own rows) the same rows
        /// for lookups within the transaction.
        var rows: [Row] = []
        var recorded = TailLookup<Key>()
        /// The merge position after the transaction, if it merged slices.
        var mergedThrough: Int?
        /// Set when the transaction sealed the active generation (its own rows included):
        /// that generation in merge order.
        var sealedRows: [Row]?
    }

    /// Applies a committed transaction's `changes`.
    mutating func commit(_ changes: Changes) {
        for row in changes.rows { append(row) }
        if let through = changes.mergedThrough {
            nextSlice = through
            if through == Self.sliceCount {
                sealedRows = []
                sealed = TailLookup()
            }
        }
        if let rows = changes.sealedRows {
            sealedRows = rows
            sealed = active
            activeRows = []
            active = TailLookup()
            sealedEnd = nextSeq
            nextSlice = 0
        }
    }
}

/// Key → indices for the rows of a tail. Most keys have one index (identities always do), so
/// the first lives in one dictionary and only further ones allocate an array.
struct TailLookup<Key: Hashable & Sendable>: Sendable {
    private var firsts: [Key: UInt64] = [:]
    private var more: [Key: [UInt64]] = [:]

    func first(_ key: Key) -> UInt64? { firsts[key] }

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
