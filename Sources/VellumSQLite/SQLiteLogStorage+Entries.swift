import CSQLite
import VellumSync
import VellumMerkle
import VellumStorage

/// Reading one entry without reading its whole bundle. A full bundle of hashedrekord bodies is
/// ~180 KiB; an entry lookup needs ~700 bytes of it. SQLite's incremental blob I/O reads just
/// the length prefixes up to the entry and then the entry itself; the offsets found on the
/// way are remembered (`BundleOffsets`), so the next lookup in that bundle reads only its
/// entry. An entry of the open bundle is read from the run that holds it (`+EntryBundles`).
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
                return try entry(at: position, of: blob, bundleIndex: bundleIndex)
            }
            return try db.transaction(.deferred) {
                if let blob = try Self.openFullBundle(db, bundleIndex) {
                    defer { sqlite3_blob_close(blob) }
                    return try entry(at: position, of: blob, bundleIndex: bundleIndex)
                }
                guard let first = Self.firstEntryIndex(ofBundle: bundleIndex) else { return nil }
                return try Self.openEntry(db, bundle: bundleIndex, first: first, position: position)
            }
        }
    }

    /// Entry `position` of the open bundle `bundle` (first log index `first`): found in the
    /// last run that starts at or before it, or nil when no run reaches it.
    private static func openEntry(_ db: SQLiteConnection, bundle: UInt64, first: Int64, position: Int) throws -> [UInt8]? {
        let sql = "SELECT idx, count, data FROM open_runs WHERE idx BETWEEN ?1 AND ?2 ORDER BY idx DESC LIMIT 1"
        return try db.withStatement(sql) { statement in
            try statement.bind(first, at: 1)
            try statement.bind(first + Int64(position), at: 2)
            guard try statement.step() else { return nil }
            let offset = Int(first) + position - Int(statement.int64(at: 0))
            guard offset < statement.int64(at: 1) else { return nil }
            let run = statement.blob(at: 2)
            do {
                guard let entry = try EntryBundle.entry(at: offset, in: run) else {
                    throw StorageError.corrupt("the open entries of bundle \(bundle) from log index \(statement.int64(at: 0)) hold fewer than \(statement.int64(at: 1)) entries")
                }
                return Array(entry)
            } catch let error as EntryBundleError {
                throw StorageError.corrupt("the open entries of bundle \(bundle) from log index \(statement.int64(at: 0)) are malformed: \(error)")
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

    /// Entry `position` of the bundle in `blob`: from its remembered offset, or by walking the
    /// length prefixes from the last entry whose offset is known, remembering each one passed.
    private func entry(at position: Int, of blob: OpaquePointer, bundleIndex: UInt64) throws -> [UInt8]? {
        let size = Int(sqlite3_blob_bytes(blob))
        var known = bundleOffsets.offsets(of: bundleIndex)
        let learned = known.count
        if known.isEmpty { known = [0] }
        var prefix: [UInt8] = [0, 0]
        defer { if known.count > learned { bundleOffsets.remember(known, of: bundleIndex) } }
        while true {
            let current = min(position, known.count - 1)
            let start = Int(known[current])
            guard start + 2 <= size else { return nil }
            try Self.blobRead(blob, into: &prefix, count: 2, offset: start)
            let length = Int(prefix[0]) << 8 | Int(prefix[1])
            guard start + 2 + length <= size else {
                throw StorageError.corrupt("entry bundle \(bundleIndex) is truncated at byte \(start + 2)")
            }
            if current == position {
                var entry = [UInt8](repeating: 0, count: length)
                if length > 0 { try Self.blobRead(blob, into: &entry, count: length, offset: start + 2) }
                return entry
            }
            if known.count < TilePath.fullWidth { known.append(UInt32(start + 2 + length)) }
        }
    }

    private static func blobRead(_ blob: OpaquePointer, into buffer: inout [UInt8], count: Int, offset: Int) throws {
        let status = buffer.withUnsafeMutableBytes { sqlite3_blob_read(blob, $0.baseAddress, Int32(count), Int32(offset)) }
        guard status == SQLITE_OK else { throw StorageError.backend("sqlite3_blob_read failed with code \(status)") }
    }
}

/// The offsets at which the entries of full bundles start, as far as reads have found them:
/// `offsets(of: b)[i]` is where entry i's length prefix is. A full bundle never changes, so
/// what is remembered never goes stale. Bounded: at most `capacity` bundles (≤ 1 KiB each),
/// forgotten all at once when full.
final class BundleOffsets: Sendable {
    static let capacity = 8192
    private let known = Locked<[UInt64: [UInt32]]>([:])

    func offsets(of bundle: UInt64) -> [UInt32] { known.withLock { $0[bundle] ?? [] } }

    func remember(_ offsets: [UInt32], of bundle: UInt64) {
        known.withLock { known in
            if known.count >= Self.capacity && known[bundle] == nil { known.removeAll(keepingCapacity: true) }
            if offsets.count > known[bundle]?.count ?? 0 { known[bundle] = offsets }
        }
    }
}
