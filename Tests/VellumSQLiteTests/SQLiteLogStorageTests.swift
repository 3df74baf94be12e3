import Foundation
import Testing
import VellumMerkle
import VellumSQLite
import VellumStorage
import VellumTesting

@Suite struct SQLiteLogStorageTests {
    @Test(arguments: StorageConformance.checks.map(\.name))
    func passesTheStorageConformanceSuite(check: String) throws {
        let run = try #require(StorageConformance.checks.first { $0.name == check }?.run)
        try withDatabasePath { path in try run(SQLiteLogStorage(path: path, readers: 2)) }
    }

    @Test func committedDataSurvivesReopening() throws {
        try withDatabasePath { path in
            let tile = Tile(id: TileID(level: 0, index: 0), hashes: [RFC6962.leafHash([1]), RFC6962.leafHash([2])])
            do {
                let store = try SQLiteLogStorage(path: path, readers: 1)
                try store.write { tx in
                    try tx.putTile(tile)
                    try tx.putTreeState(TreeState(size: 2, root: RFC6962.nodeHash(left: tile.hashes[0], right: tile.hashes[1])))
                }
            }
            let reopened = try SQLiteLogStorage(path: path, readers: 1)
            #expect(try reopened.tiles([tile.id]) == [tile])
            #expect(try reopened.treeState().size == 2)
        }
    }

    @Test func storesOneRowPerTileAndBundle() throws {
        try withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 1)
            var tree = TiledTree()
            for batch in 0..<10 {
                let integration = tree.integrate((0..<100).map { RFC6962.leafHash(Array("e\(batch * 100 + $0)".utf8)) })
                try store.write { tx in for tile in integration.tiles { try tx.putTile(tile) } }
            }
            // 1000 leaves: level-0 tiles 0...3 (3 full, 1 partial) and one level-1 tile.
            let rows = try SQLiteConnection.openReader(path: path).withStatement("SELECT count(*) FROM tiles") { s in
                _ = try s.step()
                return s.int64(at: 0)
            }
            #expect(rows == 5)
            let stored = try store.tiles(TileLayout.c2sp.rightEdge(treeSize: 1000).map(\.id))
            #expect(stored.map(\.width) == [232, 3])
        }
    }
}

@Suite struct SQLiteEntryReadTests {
    @Test func readsOneEntryOfAFullBundleByBlobIOAndOfAnOpenBundleByItsRow() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vellum-entry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteLogStorage(path: directory.appendingPathComponent("log.sqlite").path)
        let entries: [[UInt8]] = (0..<256).map { Array(repeating: UInt8($0 & 0xff), count: ($0 * 37) % 900) }
        try storage.write { tx in
            try tx.putEntryBundle(index: 3, bytes: EntryBundle(entries: entries).bytes)
            try tx.putEntryBundle(index: 4, bytes: EntryBundle(entries: Array(entries.prefix(200))).bytes)
        }
        for position in [0, 1, 57, 199, 255] {
            #expect(try storage.entry(bundleIndex: 3, position: position) == entries[position])
        }
        for position in [0, 1, 57, 199] {
            #expect(try storage.entry(bundleIndex: 4, position: position) == entries[position])
        }
        #expect(try storage.entry(bundleIndex: 4, position: 200) == nil)
        #expect(try storage.entry(bundleIndex: 3, position: 256) == nil)
        #expect(try storage.entry(bundleIndex: 3, position: -1) == nil)
        #expect(try storage.entry(bundleIndex: 5, position: 0) == nil)
        #expect(try storage.entry(bundleIndex: UInt64.max, position: 0) == nil)
        #expect(try storage.entryBundle(index: UInt64.max / 256) == nil)
    }

    /// Lookups remember where a full bundle's entries start; reads in any order, before and
    /// after the bundle's offsets are all known, and in bundles read partly, return the same
    /// entries (empty ones and 64 KiB-long ones included).
    @Test func readsEveryEntryInAnyOrderFromRememberedOffsets() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vellum-offsets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("log.sqlite").path
        let storage = try SQLiteLogStorage(path: path)
        let entries: [[UInt8]] = (0..<256).map { i in
            (0..<(i == 9 ? 65535 : (i * 53) % 700)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
        }
        try storage.write { tx in
            for bundle in 0..<3 { try tx.putEntryBundle(index: UInt64(bundle), bytes: EntryBundle(entries: entries).bytes) }
        }
        var generator = SeededGenerator(seed: 0x0FF5)
        var wrong: [String] = []
        for bundle: UInt64 in 0..<3 {
            // Bundle 0 from the start, bundle 1 from the end, bundle 2 in random order; twice.
            let order = bundle == 0 ? Array(0..<256) : bundle == 1 ? Array((0..<256).reversed()) : (0..<256).shuffled(using: &generator)
            for position in order + order.shuffled(using: &generator) where try storage.entry(bundleIndex: bundle, position: position) != entries[position] {
                wrong.append("bundle \(bundle) entry \(position)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) wrong reads, first: \(wrong.first ?? "")")
    }
}

