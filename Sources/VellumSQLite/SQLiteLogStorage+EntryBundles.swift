import VellumMerkle
import VellumStorage

/// Entry bundles in two tables (`migrations/0004_open_entries.sql`): a full bundle is one row of
/// `entry_bundles`, written once; the entries of a bundle that is not full yet are rows of
/// `open_entries`, one per entry, keyed by log index. So a batch writes its new entries and,
/// when it fills a bundle, that bundle's row once, instead of rewriting the whole open bundle
/// (~90 KiB per batch at the HTTP server's batch sizes, written twice by WAL).
///
/// What a crash leaves behind: the inserts, the full row and the deletion of its open rows are
/// all part of the batch's transaction, so after a crash each entry of the last committed tree
/// is in exactly one of the two tables, and no entry of the lost batch is in either.
extension SQLiteLogStorage {
    /// The log index of the first entry of bundle `index`, or nil when the bundle lies past the
    /// largest index SQLite can store (2^63 - 1): such a bundle can have no rows.
    static func firstEntryIndex(ofBundle index: UInt64) -> Int64? {
        let width = UInt64(TilePath.fullWidth)
        guard index <= (UInt64(Int64.max) - (width - 1)) / width else { return nil }
        return Int64(index * width)
    }

    /// The bundle bytes: the full row, or else the open bundle assembled from its entries.
    ///
    /// A full bundle is read first, on its own, since it is what almost every read asks for.
    /// If there is none, both lookups run again in ONE read transaction: the writer may fill
    /// the bundle (insert the full row, delete the open rows) between two autocommit
    /// statements, and a reader that missed the full row and then found no open rows would
    /// return nil for a bundle that exists.
    public func entryBundle(index: UInt64) throws -> [UInt8]? {
        try read { db in
            // A full bundle never changes or goes away: no transaction needed to read it alone.
            if let full = try Self.fullBundle(db, index) { return full }
            return try db.transaction(.deferred) {
                if let full = try Self.fullBundle(db, index) { return full }
                guard let first = Self.firstEntryIndex(ofBundle: index) else { return nil }
                let open = try Self.openBundle(db, bundle: index, first: first)
                return open.count > 0 ? open.bytes : nil
            }
        }
    }

    static func fullBundle(_ db: SQLiteConnection, _ index: UInt64) throws -> [UInt8]? {
        try db.withStatement("SELECT data FROM entry_bundles WHERE idx = ?1") { statement in
            try statement.bind(index, at: 1)
            return try statement.step() ? statement.blob(at: 0) : nil
        }
    }

    /// The entries of bundle `index` in `open_entries`, as bundle bytes, and how many there
    /// are. Throws `StorageError.corrupt` unless they run without a gap from `first`.
    static func openBundle(_ db: SQLiteConnection, bundle index: UInt64, first: Int64) throws -> (bytes: [UInt8], count: Int) {
        try db.withStatement("SELECT idx, data FROM open_entries WHERE idx BETWEEN ?1 AND ?2 ORDER BY idx") { statement in
            try statement.bind(first, at: 1)
            try statement.bind(first + Int64(TilePath.fullWidth - 1), at: 2)
            var bytes: [UInt8] = []
            var count = 0
            while try statement.step() {
                guard statement.int64(at: 0) == first + Int64(count) else {
                    throw StorageError.corrupt("open entries of bundle \(index) skip from log index \(first + Int64(count)) to \(statement.int64(at: 0))")
                }
                statement.withBlob(at: 1) { EntryBundle.append($0, to: &bytes) }
                count += 1
            }
            return (bytes, count)
        }
    }
}

extension SQLiteLogStorage.Transaction {
    /// Writes only the entries of `bytes` past those already stored (see `LogWriteTransaction`):
    /// one `open_entries` row each, or, when they fill the bundle, its `entry_bundles` row
    /// (the stored entries followed by the new ones) while its open rows are deleted.
    func putEntryBundle(index: UInt64, bytes: [UInt8]) throws {
        guard let first = SQLiteLogStorage.firstEntryIndex(ofBundle: index) else {
            throw StorageError.invalidEntryBundle(index: index, reason: "its entries would lie past the largest log index SQLite can store (\(Int64.max))")
        }
        let stored = try storedEntryCount(bundle: index, first: first)
        let appended = try EntryBundle.entries(appendedTo: stored, bundle: index, in: bytes)
        if appended.isEmpty { return }
        if stored + appended.count == TilePath.fullWidth {
            try fill(bundle: index, first: first, with: appended)
            return
        }
        try db.withStatement("INSERT INTO open_entries (idx, data) VALUES (?1, ?2)") { statement in
            for (offset, entry) in appended.enumerated() {
                try statement.bind(first + Int64(stored + offset), at: 1)
                try statement.withBlob(entry, boundAt: 2) { try statement.run() }
            }
        }
    }

    /// How many entries of bundle `index` are stored: 256 if its full row exists, else its
    /// open rows, counted by a rowid range scan (at most 255 rows, without their data).
    private func storedEntryCount(bundle index: UInt64, first: Int64) throws -> Int {
        let sql = """
            SELECT count(*), max(idx), EXISTS (SELECT 1 FROM entry_bundles WHERE idx = ?3)
            FROM open_entries WHERE idx BETWEEN ?1 AND ?2
            """
        let (count, last, full) = try db.withStatement(sql) { statement in
            try statement.bind(first, at: 1)
            try statement.bind(first + Int64(TilePath.fullWidth - 1), at: 2)
            try statement.bind(index, at: 3)
            guard try statement.step() else { throw StorageError.backend("counting the open entries of bundle \(index) returned no row") }
            return (Int(statement.int64(at: 0)), statement.int64(at: 1), statement.int64(at: 2) != 0)
        }
        if full {
            guard count == 0 else {
                throw StorageError.corrupt("bundle \(index) is stored as a full row and also has \(count) open entries")
            }
            return TilePath.fullWidth
        }
        guard count == 0 || last == first + Int64(count) - 1 else {
            throw StorageError.corrupt("bundle \(index) has \(count) open entries, but the last is at log index \(last), not \(first + Int64(count) - 1)")
        }
        return count
    }

    /// Writes the full row of bundle `index` from its open entries and `appended`, and deletes
    /// the open entries. Reading them back (once per 256 entries) instead of taking the caller's
    /// bytes makes the full bundle start with exactly what readers were served as the partial
    /// one, which HTTP caches may hold.
    private func fill(bundle index: UInt64, first: Int64, with appended: [ArraySlice<UInt8>]) throws {
        var bytes = try SQLiteLogStorage.openBundle(db, bundle: index, first: first).bytes
        for entry in appended { EntryBundle.append(entry, to: &bytes) }
        try db.withStatement("INSERT INTO entry_bundles (idx, data) VALUES (?1, ?2)") { statement in
            try statement.bind(index, at: 1)
            try statement.withBlob(bytes, boundAt: 2) { try statement.run() }
        }
        try db.run("DELETE FROM open_entries WHERE idx BETWEEN ?1 AND ?2") { statement in
            try statement.bind(first, at: 1)
            try statement.bind(first + Int64(TilePath.fullWidth - 1), at: 2)
        }
    }
}
