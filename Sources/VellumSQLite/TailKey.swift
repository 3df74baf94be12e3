import VellumMerkle
import VellumStorage

/// The key of a two-level index (`MergeTail`): bytes that SQLite stores as a BLOB. `<` must
/// order keys as SQLite orders BLOBs (memcmp, then the shorter first), so that rows sorted
/// here are in the order of a run's blocks (`RunBlock`, keyed by their first row in SQLite).
protocol TailKey: Hashable, Comparable, Sendable {
    /// Reads a key stored in `column` of the current row.
    init(_ statement: SQLiteStatement, column: Int) throws
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Hash: TailKey {
    init(_ statement: SQLiteStatement, column: Int) throws {
        self = try SQLiteLogStorage.hash(statement, at: column)
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(body)
    }
}
