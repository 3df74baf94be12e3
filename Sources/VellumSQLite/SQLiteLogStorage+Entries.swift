import CSQLite
import VellumMerkle
import VellumStorage

/// Reading one entry without reading its whole bundle. A full bundle of hashedrekord bodies is
/// ~180 KiB; an entry lookup needs ~700 bytes of it. SQLite's incremental blob I/O reads just
/// the length prefixes up to the entry and then the entry itself. An entry of the open bundle
/// is a row of its own (`+EntryBundles`).
extension SQLiteLogStorage {
    /// Entry `position` (0…255) of bundle `bundleIndex`, or nil if that bundle or entry is not
    /// stored. Same contract as `entryBundle(index:)`: committed data, any reader thread.
    ///
    /// A full bundle never changes or goes away, so it is read on its own; otherwise the full
    /// row and the open row are looked up again in ONE read transaction, for the reason given
    /// at `entryBundle(index:)`: the writer may fill the bundle in between. (Almost every read
    /// is of a full bundle; the transaction would add two statements to each.)
    public func entry(bundleIndex: UInt64, position: Int) throws -> [UInt8]? {
        guard (0..<TilePath.fullWidth).contains(position) else { return nil }
        return try read { db in
            if let blob = try Self.openFullBundle(db, bundleIndex) {
                defer { sqlite3_blob_close(blob) }
                return try Self.entry(at: position, of: blob, bundleIndex: bundleIndex)
            }
            return try db.transaction(.deferred) {
                if let blob = try Self.openFullBundle(db, bundleIndex) {
                    defer { sqlite3_blob_close(blob) }
                    return try Self.entry(at: position, of: blob, bundleIndex: bundleIndex)
                }
                guard let first = Self.firstEntryIndex(ofBundle: bundleIndex) else { return nil }
                return try db.withStatement("SELECT data FROM open_entries WHERE idx = ?1") { statement in
                    try statement.bind(first + Int64(position), at: 1)
                    return try statement.step() ? statement.blob(at: 0) : nil
                }
            }
        }
    }

    /// A read-only blob handle on the `entry_bundles` row of bundle `index`, or nil when there
    /// is no such row (the bundle is not full, or not there). The caller closes it.
    private static func openFullBundle(_ db: SQLiteConnection, _ index: UInt64) throws -> OpaquePointer? {
        guard let handle = db.handle else { throw StorageError.backend("read connection is closed") }
        guard let rowid = Int64(exactly: index) else { return nil }
        var blob: OpaquePointer?
        let opened = sqlite3_blob_open(handle, "main", "entry_bundles", "data", rowid, 0, &blob)
        if opened == SQLITE_OK { return blob }
        sqlite3_blob_close(blob)
        // No such row is the one expected failure.
        if opened == SQLITE_ERROR { return nil }
        throw StorageError.backend("reading entry bundle \(index): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// Entry `position` of the bundle in `blob`, read by skipping the entries before it.
    private static func entry(at position: Int, of blob: OpaquePointer, bundleIndex: UInt64) throws -> [UInt8]? {
        let size = Int(sqlite3_blob_bytes(blob))
        var offset = 0
        var prefix: [UInt8] = [0, 0]
        for current in 0...position {
            guard offset + 2 <= size else { return nil }
            try blobRead(blob, into: &prefix, count: 2, offset: offset)
            let length = Int(prefix[0]) << 8 | Int(prefix[1])
            offset += 2
            guard offset + length <= size else {
                throw StorageError.corrupt("entry bundle \(bundleIndex) is truncated at byte \(offset)")
            }
            if current == position {
                var entry = [UInt8](repeating: 0, count: length)
                if length > 0 { try blobRead(blob, into: &entry, count: length, offset: offset) }
                return entry
            }
            offset += length
        }
        return nil
    }

    private static func blobRead(_ blob: OpaquePointer, into buffer: inout [UInt8], count: Int, offset: Int) throws {
        let status = buffer.withUnsafeMutableBytes { sqlite3_blob_read(blob, $0.baseAddress, Int32(count), Int32(offset)) }
        guard status == SQLITE_OK else { throw StorageError.backend("sqlite3_blob_read failed with code \(status)") }
    }
}
