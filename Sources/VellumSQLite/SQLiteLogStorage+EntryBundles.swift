import VellumMerkle
import VellumStorage

/// Entry bundles in two tables (`migrations/0006_open_runs.sql`): a full bundle is one row of
/// `entry_bundles`, written once; the entries of a bundle that is not full yet are rows of
/// `open_runs`, one per transaction that appended to it, each holding that transaction's
/// entries in bundle form and keyed by the log index of the first. So a batch writes its new
/// entries as one row and, when it fills a bundle, that bundle's row once, instead of
/// rewriting the whole open bundle (~90 KiB per batch at the HTTP server's batch sizes,
/// written twice by WAL) or running a statement per entry.
///
/// What a crash leaves behind: the insert, the full row and the deletion of the open rows are
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

    /// The bundle bytes: the full row, or else the open bundle assembled from its runs.
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

    /// The runs of bundle `index` in `open_runs`, concatenated into bundle bytes, and how many
    /// entries they hold. Throws `StorageError.corrupt` unless they follow each other without a
    /// gap or overlap from `first` and each holds exactly the entries its `count` says.
    static func openBundle(_ db: SQLiteConnection, bundle index: UInt64, first: Int64) throws -> (bytes: [UInt8], count: Int) {
        var bytes: [UInt8] = []
        var count = 0
        try forEachRun(db, bundle: index, first: first, withData: true) { run in
            let start = bytes.count
            if let data = run.data { bytes.append(contentsOf: data) }
            let entries: Int
            do {
                entries = try EntryBundle.entryRanges(in: bytes, from: start).count
            } catch {
                throw StorageError.corrupt("the open entries of bundle \(index) from log index \(run.idx) are malformed: \(error)")
            }
            guard entries == run.count else {
                throw StorageError.corrupt("the open entries of bundle \(index) from log index \(run.idx) hold \(entries) entries, not \(run.count)")
            }
            count += run.count
        }
        return (bytes, count)
    }

    /// One row of `open_runs`; `data` is SQLite's buffer, valid only inside the callback, and
    /// nil when the rows were read without it.
    struct OpenRun {
        let idx: Int64
        let count: Int
        let data: UnsafeRawBufferPointer?
    }

    /// Calls `body` with each run of bundle `index` in log-index order, after checking that it
    /// starts where the previous one ended (the first at `first`) and stays inside the bundle.
    /// Without `withData` the entries are not read at all (the writer only needs the counts).
    static func forEachRun(_ db: SQLiteConnection, bundle index: UInt64, first: Int64, withData: Bool,
                           _ body: (OpenRun) throws -> Void) throws {
        let sql = withData
            ? "SELECT idx, count, data FROM open_runs WHERE idx BETWEEN ?1 AND ?2 ORDER BY idx"
            : "SELECT idx, count FROM open_runs WHERE idx BETWEEN ?1 AND ?2 ORDER BY idx"
        let end = first + Int64(TilePath.fullWidth)
        try db.withStatement(sql) { statement in
            try statement.bind(first, at: 1)
            try statement.bind(end - 1, at: 2)
            var next = first
            while try statement.step() {
                let idx = statement.int64(at: 0)
                let count = statement.int64(at: 1)
                guard idx == next else {
                    throw StorageError.corrupt("the open entries of bundle \(index) skip from log index \(next) to \(idx)")
                }
                guard count >= 1, count <= end - idx - 1 else {
                    throw StorageError.corrupt("the open entries of bundle \(index) from log index \(idx) claim \(count) entries, past what a partial bundle holds")
                }
                if withData {
                    try statement.withBlob(at: 2) { try body(OpenRun(idx: idx, count: Int(count), data: $0)) }
                } else {
                    try body(OpenRun(idx: idx, count: Int(count), data: nil))
                }
                next = idx + count
            }
        }
    }
}

extension SQLiteLogStorage.Transaction {
    /// Writes only the entries of `bytes` past those already stored (see `LogWriteTransaction`):
    /// one `open_runs` row holding all of them, or, when they fill the bundle, its
    /// `entry_bundles` row (the stored entries followed by the new ones) while its open rows
    /// are deleted.
    func putEntryBundle(index: UInt64, bytes: [UInt8]) throws {
        guard let first = SQLiteLogStorage.firstEntryIndex(ofBundle: index) else {
            throw StorageError.invalidEntryBundle(index: index, reason: "its entries would lie past the largest log index SQLite can store (\(Int64.max))")
        }
        let stored = try storedEntryCount(bundle: index, first: first)
        let appended = try EntryBundle.entries(appendedTo: stored, bundle: index, in: bytes)
        guard let firstAppended = appended.first else { return }
        if stored + appended.count == TilePath.fullWidth {
            try fill(bundle: index, first: first, with: appended)
            return
        }
        // The new entries with their length prefixes: the bytes from the first one's prefix on.
        let run = bytes[(firstAppended.startIndex - 2)...]
        try db.withStatement("INSERT INTO open_runs (idx, count, data) VALUES (?1, ?2, ?3)") { statement in
            try statement.bind(first + Int64(stored), at: 1)
            try statement.bind(appended.count, at: 2)
            try statement.withBlob(run, boundAt: 3) { try statement.run() }
        }
    }

    /// How many entries of bundle `index` are stored: 256 if its full row exists, else the sum
    /// of its runs' counts (at most 255 rows, read without their data).
    private func storedEntryCount(bundle index: UInt64, first: Int64) throws -> Int {
        let full = try db.withStatement("SELECT EXISTS (SELECT 1 FROM entry_bundles WHERE idx = ?1)") { statement in
            try statement.bind(index, at: 1)
            guard try statement.step() else { throw StorageError.backend("looking for the full row of bundle \(index) returned no row") }
            return statement.int64(at: 0) != 0
        }
        var count = 0
        try SQLiteLogStorage.forEachRun(db, bundle: index, first: first, withData: false) { count += $0.count }
        if full {
            guard count == 0 else {
                throw StorageError.corrupt("bundle \(index) is stored as a full row and also has \(count) open entries")
            }
            return TilePath.fullWidth
        }
        return count
    }

    /// Writes the full row of bundle `index` from its open runs and `appended`, and deletes the
    /// runs. Reading them back (once per 256 entries) instead of taking the caller's bytes
    /// makes the full bundle start with exactly what readers were served as the partial one,
    /// which HTTP caches may hold.
    private func fill(bundle index: UInt64, first: Int64, with appended: [ArraySlice<UInt8>]) throws {
        var bytes = try SQLiteLogStorage.openBundle(db, bundle: index, first: first).bytes
        for entry in appended { EntryBundle.append(entry, to: &bytes) }
        try db.withStatement("INSERT INTO entry_bundles (idx, data) VALUES (?1, ?2)") { statement in
            try statement.bind(index, at: 1)
            try statement.withBlob(bytes, boundAt: 2) { try statement.run() }
        }
        try db.run("DELETE FROM open_runs WHERE idx BETWEEN ?1 AND ?2") { statement in
            try statement.bind(first, at: 1)
            try statement.bind(first + Int64(TilePath.fullWidth - 1), at: 2)
        }
    }
}
