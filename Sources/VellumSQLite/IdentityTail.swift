import VellumMerkle

/// The in-memory half of the identity tail (`migrations/0002_identity_tail.sql`): every row of
/// table `identity_tail`, for lookups without touching the b-tree, and the sealed generation's
/// rows grouped into the 256 merge slices (by the identity's first byte).
///
/// It mirrors committed rows only: the writer changes it after a COMMIT succeeds, and reloads
/// it from the table after a failed write. Its size is bounded by two generations
/// (``SQLiteConfiguration/identityTailEntries`` each) plus one batch.
struct IdentityTail: Sendable {
    struct Row: Sendable {
        var identity: Hash
        var index: UInt64
    }

    /// The rows after the sealed generation (seq ≥ `sealedEnd`).
    var active: [Hash: UInt64] = [:]
    var activeSlices: [[Row]] = Array(repeating: [], count: 256)
    /// The sealed generation (seq < `sealedEnd`), including slices already merged.
    var sealed: [Hash: UInt64] = [:]
    /// The sealed generation's rows not merged yet, by slice; slices below `nextSlice` are empty.
    var sealedSlices: [[Row]] = Array(repeating: [], count: 256)
    /// The first slice still to merge; 256 when no merge is in progress.
    var nextSlice = 256
    var sealedEnd: Int64 = 0
    /// The seq the next recorded identity gets.
    var nextSeq: Int64 = 0

    static func slice(of identity: Hash) -> Int { identity.withUnsafeBytes { Int($0[0]) } }

    func index(of identity: Hash) -> UInt64? { active[identity] ?? sealed[identity] }

    var merging: Bool { nextSlice < 256 }

    /// Adds a committed row after the sealed generation.
    mutating func append(_ row: Row) {
        active[row.identity] = row.index
        activeSlices[Self.slice(of: row.identity)].append(row)
        nextSeq += 1
    }

    /// What one write transaction did to the tail, applied by `commit` once it is durable.
    struct Changes {
        /// Rows recorded, in seq order, and the same rows for lookups within the transaction.
        var rows: [Row] = []
        var recorded: [Hash: UInt64] = [:]
        /// The merge position after the transaction, if it merged slices.
        var mergedThrough: Int?
        /// Whether the transaction sealed the active generation (after its own rows joined it).
        var sealed = false
    }

    /// Applies a committed transaction's `changes`.
    mutating func commit(_ changes: Changes) {
        for row in changes.rows { append(row) }
        if let through = changes.mergedThrough {
            for slice in nextSlice..<through { sealedSlices[slice] = [] }
            nextSlice = through
            if through == 256 { sealed = [:] }
        }
        if changes.sealed {
            sealed = active
            sealedSlices = activeSlices
            active = [:]
            activeSlices = Array(repeating: [], count: 256)
            sealedEnd = nextSeq
            nextSlice = 0
        }
    }
}
