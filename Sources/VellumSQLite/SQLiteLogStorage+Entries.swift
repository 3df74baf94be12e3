import CSQLite
import VellumStorage

/// Reading one entry without reading its whole bundle. A full bundle of hashedrekord bodies is
/// ~180 KiB; an entry lookup needs ~700 bytes of it. SQLite's incremental blob I/O reads just
/// the length prefixes up to the entry and then the entry itself.
extension SQLiteLogStorage {
    /// Entry `position` (0…255) of bundle `bundleIndex`, or nil if that bundle or entry is not
    /// stored. Same contract as `entryBundle(index:)`: committed data, any reader thread.
    public func entry(bundleIndex: UInt64, position: Int) throws -> [UInt8]? {
        try read { db in
            guard let handle = db.handle else { throw StorageError.backend("read connection is closed") }
            var blob: OpaquePointer?
            let opened = sqlite3_blob_open(handle, "main", "entry_bundles", "data", Int64(bundleIndex), 0, &blob)
            defer { sqlite3_blob_close(blob) }
            if opened != SQLITE_OK {
                // No such row is the one expected failure (the bundle is not there yet).
                if opened == SQLITE_ERROR { return nil }
                throw StorageError.backend("reading entry bundle \(bundleIndex): \(String(cString: sqlite3_errmsg(handle)))")
            }
            let size = Int(sqlite3_blob_bytes(blob))
            var offset = 0
            var prefix: [UInt8] = [0, 0]
            for current in 0...position {
                guard offset + 2 <= size else { return nil }
                try Self.blobRead(blob, into: &prefix, count: 2, offset: offset)
                let length = Int(prefix[0]) << 8 | Int(prefix[1])
                offset += 2
                guard offset + length <= size else {
                    throw StorageError.corrupt("entry bundle \(bundleIndex) is truncated at byte \(offset)")
                }
                if current == position {
                    var entry = [UInt8](repeating: 0, count: length)
                    if length > 0 { try Self.blobRead(blob, into: &entry, count: length, offset: offset) }
                    return entry
                }
                offset += length
            }
            return nil
        }
    }

    private static func blobRead(_ blob: OpaquePointer?, into buffer: inout [UInt8], count: Int, offset: Int) throws {
        let status = buffer.withUnsafeMutableBytes { sqlite3_blob_read(blob, $0.baseAddress, Int32(count), Int32(offset)) }
        guard status == SQLITE_OK else { throw StorageError.backend("sqlite3_blob_read failed with code \(status)") }
    }
}
