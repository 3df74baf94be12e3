import Foundation
import Testing
import VellumMerkle
import VellumStorage
import VellumTesting

@testable import VellumSQLite

/// Entry bundles as full rows plus one `open_runs` row per transaction that appended to a
/// partial bundle (`migrations/0006_open_runs.sql`), checked against a model: the list of every
/// entry.
@Suite struct OpenEntriesTests {
    /// Entry `index` of the model log: 0 to 700 bytes (some empty), distinct per index.
    static func entry(_ index: Int) -> [UInt8] {
        let length = (index * 7919) % 701
        if length == 0 { return [] }
        var bytes = Array("entry \(index):".utf8)
        bytes += (0..<max(0, length - bytes.count)).map { UInt8(truncatingIfNeeded: index &+ $0) }
        return Array(bytes.prefix(length))
    }

    static func bundleBytes(_ bundle: Int, size: Int) -> [UInt8] {
        EntryBundle(entries: (bundle * 256..<min(size, bundle * 256 + 256)).map(entry)).bytes
    }

    /// Appends entries `from..<to` the way the sequencer does: each bundle they touch is
    /// written once, as the whole bundle so far.
    static func append(_ tx: any LogWriteTransaction, from: Int, to: Int) throws {
        guard to > from else { return }
        for bundle in from / 256...(to - 1) / 256 {
            try tx.putEntryBundle(index: UInt64(bundle), bytes: bundleBytes(bundle, size: to))
        }
    }

    static func count(_ table: String, in store: SQLiteLogStorage, of column: String = "*") throws -> Int64 {
        let sql = column == "*" ? "SELECT count(*) FROM \(table)" : "SELECT coalesce(sum(\(column)), 0) FROM \(table)"
        return try SQLiteConnection.openReader(path: store.path).withStatement(sql) {
            try $0.step() ? $0.int64(at: 0) : -1
        }
    }

    /// Every bundle and every entry of a log of `size` entries reads back as the model says,
    /// nothing past it exists, and the rows are where the layout puts them.
    static func expectLog(_ store: SQLiteLogStorage, size: Int, _ comment: Comment) throws {
        let bundles = (size + 255) / 256
        for bundle in 0..<bundles {
            #expect(try store.entryBundle(index: UInt64(bundle)) == bundleBytes(bundle, size: size), "bundle \(bundle); \(comment)")
        }
        #expect(try store.entryBundle(index: UInt64(bundles)) == nil, "bundle past the end; \(comment)")
        for index in 0..<size {
            #expect(try store.entry(bundleIndex: UInt64(index / 256), position: index % 256) == entry(index), "entry \(index); \(comment)")
        }
        #expect(try store.entry(bundleIndex: UInt64(size / 256), position: size % 256) == nil, "entry past the end; \(comment)")
        #expect(try count("entry_bundles", in: store) == Int64(size / 256), "full rows; \(comment)")
        #expect(try count("open_runs", in: store, of: "count") == Int64(size % 256), "open entries; \(comment)")
    }

    @Test func growsBundlesOverManyTransactionsOfRandomSizes() throws {
        try withDatabasePath { path in
            var generator = SeededGenerator(seed: 0x0BE7_E17E)
            var store = try SQLiteLogStorage(path: path, readers: 2)
            var size = 0
            for round in 0..<24 {
                let added = Int.random(in: 1...300, using: &generator)
                let before = size
                try store.write { try Self.append($0, from: before, to: before + added) }
                size += added
                try Self.expectLog(store, size: size, "round \(round), +\(added) to \(size)")
                if round % 5 == 4 {
                    store = try SQLiteLogStorage(path: path, readers: 2)
                    try Self.expectLog(store, size: size, "reopened after round \(round)")
                }
            }
            #expect(size > 4 * 256, "the rounds should cross several bundle boundaries")
        }
    }

    @Test func writesOneOpenRowPerTransactionAndNoneOnceTheBundleIsFull() throws {
        try withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 1)
            // 0 → 10 → 13 (a second row of 3, the first kept) → 14 → 256 (full: no open rows)
            // → 259 (one row in the next bundle).
            for (from, to, rows) in [(0, 10, 1), (10, 13, 2), (13, 14, 3), (14, 256, 0), (256, 259, 1)] {
                try store.write { try Self.append($0, from: from, to: to) }
                try Self.expectLog(store, size: to, "\(from) → \(to)")
                #expect(try Self.count("open_runs", in: store) == Int64(rows), "open rows after \(from) → \(to)")
            }
            // Writing the same versions again adds nothing.
            try store.write { try Self.append($0, from: 0, to: 259) }
            try Self.expectLog(store, size: 259, "the same bundles again")
            #expect(try Self.count("open_runs", in: store) == 1, "open rows after the same bundles again")
        }
    }

    /// Runs that do not follow each other, or hold other than their count of entries, are
    /// reported as corrupt by every read and by the next write, never served.
    @Test(arguments: [
        ("gap", "INSERT INTO open_runs (idx, count, data) VALUES (4, 1, x'000161')"),
        ("overlap", "INSERT INTO open_runs (idx, count, data) VALUES (1, 2, x'00016100016162')"),
        ("fewer-entries", "UPDATE open_runs SET count = 3 WHERE idx = 0"),
        ("more-entries", "UPDATE open_runs SET data = CAST(data || x'0000' AS BLOB) WHERE idx = 0"),
        ("truncated", "UPDATE open_runs SET data = substr(data, 1, length(data) - 1) WHERE idx = 0"),
    ] as [(String, String)])
    func refusesCorruptRuns(name: String, sql: String) throws {
        try withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 1)
            try store.write { try Self.append($0, from: 0, to: 2) }
            try store.writer.withLock { try $0.run(sql) }
            func isCorrupt(_ error: (any Error)?) -> Bool {
                if case .corrupt = error as? StorageError { return true }
                return false
            }
            let read = #expect(throws: (any Error).self, "\(name)") { _ = try store.entryBundle(index: 0) }
            #expect(isCorrupt(read), "\(name): \(String(describing: read))")
            let written = #expect(throws: (any Error).self, "\(name)") {
                try store.write { try Self.append($0, from: 2, to: 256) }
            }
            #expect(isCorrupt(written), "\(name): \(String(describing: written))")
        }
    }

    @Test func failedTransactionLeavesBundlesAsTheyWere() throws {
        try withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 1)
            try store.write { try Self.append($0, from: 0, to: 100) }
            #expect(throws: DeliberateFailure.self) {
                try store.write { tx in
                    try Self.append(tx, from: 100, to: 300)  // fills bundle 0, opens bundle 1
                    throw DeliberateFailure()
                }
            }
            try Self.expectLog(store, size: 100, "after the failed write")
            try store.write { try Self.append($0, from: 100, to: 300) }
            try Self.expectLog(store, size: 300, "after the retried write")
        }
    }

    @Test func refusedBundleFailsTheWholeTransaction() throws {
        try withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 1)
            try store.write { try Self.append($0, from: 0, to: 40) }
            let error = #expect(throws: StorageError.self) {
                try store.write { tx in
                    try tx.putEntryBundle(index: 1, bytes: Self.bundleBytes(1, size: 300))
                    try tx.putEntryBundle(index: 0, bytes: Self.bundleBytes(0, size: 39))
                }
            }
            #expect(error == .entryBundleShrinks(index: 0, stored: 40, new: 39))
            #expect(error?.description.contains("from 40 to 39 entries") == true)
            try Self.expectLog(store, size: 40, "after the refused write")
        }
    }

    /// A reader must never miss a bundle while the writer fills it (inserts the full row and
    /// deletes the open rows): both lookups share one read transaction. Every write here fills
    /// the bundle a reader is most likely reading (the one holding the newest entry: 128
    /// entries, then 256) and opens the next, with commits unsynced to make fills frequent.
    /// Without the transaction, this failed within a few hundred fills.
    @Test func readersNeverMissABundleWhileItFills() async throws {
        try await withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 2)
            try store.writer.withLock { try $0.execute("PRAGMA synchronous = OFF") }
            let fills = 400
            let target = UInt64(128 + 256 * fills)
            func bundle(_ index: UInt64, size: UInt64) -> [UInt8] {
                EntryBundle(entries: (index * 256..<min(size, index * 256 + 256)).map { Array("e\($0)".utf8) }).bytes
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    var size: UInt64 = 0
                    while size < target {
                        let next = size == 0 ? 128 : size + 256
                        try store.write { tx in
                            for index in size / 256...(next - 1) / 256 { try tx.putEntryBundle(index: index, bytes: bundle(index, size: next)) }
                            try tx.putTreeState(TreeState(size: next, root: RFC6962.emptyRoot))
                        }
                        size = next
                    }
                }
                group.addTask {
                    var committed: UInt64 = 0
                    var misses = 0
                    while committed < target {
                        committed = try store.treeState().size
                        guard committed > 0 else { continue }
                        let (index, position) = ((committed - 1) / 256, Int((committed - 1) % 256))
                        let entries = try store.entryBundle(index: index).map { try EntryBundle(parsing: $0).entries.count } ?? 0
                        let entry = try store.entry(bundleIndex: index, position: position)
                        if entries <= position || entry != Array("e\(committed - 1)".utf8) { misses += 1 }
                    }
                    #expect(misses == 0, "reads that missed a committed bundle or entry")
                }
                try await group.waitForAll()
            }
        }
    }
}
