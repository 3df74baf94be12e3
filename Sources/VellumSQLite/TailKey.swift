import VellumMerkle
import VellumStorage

/// The key of a two-level index (`MergeTail`): bytes that SQLite stores as a BLOB. `<` must
/// order keys as SQLite orders BLOBs (memcmp, then the shorter first), so that rows sorted
/// here reach the b-tree in its own order and a merge writes its pages in sequence.
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

/// A search-index key: opaque bytes made by the entry kinds.
struct SearchKey: TailKey {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init(_ statement: SQLiteStatement, column: Int) throws {
        bytes = statement.blob(at: column)
        guard !bytes.isEmpty else { throw StorageError.corrupt("a stored search key is empty") }
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    static func < (lhs: SearchKey, rhs: SearchKey) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    // The synthesised hash feeds the hasher one byte at a time; the whole buffer at once is
    // several times faster, and the tail hashes every key it records.
    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
