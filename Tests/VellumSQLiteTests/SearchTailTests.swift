import Foundation
import Testing
import VellumMerkle
import VellumSQLite
import VellumStorage
import VellumTesting

/// The two-level search index (`migrations/0003_search_tail.sql`) with generations small
/// enough that a test crosses many seals and merges, and keys shaped like real ones: sharing
/// prefixes, some matching many entries, some recorded twice for one entry.
@Suite struct SearchTailTests {
    static func configuration(generation: Int) -> SQLiteConfiguration {
        var configuration = SQLiteConfiguration()
        configuration.searchTailEntries = generation
        return configuration
    }

    static func count(_ table: String, path: String) throws -> Int {
        try SQLiteConnection.openReader(path: path).withStatement("SELECT count(*) FROM \(table)") { s in
            _ = try s.step()
            return Int(s.int64(at: 0))
        }
    }

    /// Keys for entry `i`: its own digest-like key (all share the "sha256:" prefix), a key
    /// shared by every seventh entry, and sometimes one of three hot keys, twice.
    static func keys(_ i: Int) -> [[UInt8]] {
        var keys = [Array("sha256:\(RFC6962.leafHash(Array("artifact \(i)".utf8)).hex)".utf8),
                    Array("key:\(i / 7)".utf8)]
        if i % 3 == 0 {
            let hot = Array("email:hot\(i % 9 / 3)@example.com".utf8)
            keys += [hot, hot]
        }
        return keys
    }

    /// Many transactions of varying size: every key finds exactly its entries, ascending and
    /// within the limit, through seals and merges and across reopening, and the tail never
    /// holds much more than two generations.
    @Test(arguments: [1, 5, 16, 100])
    func keysFindTheirEntriesThroughSealsAndMerges(generation: Int) throws {
        try withDatabasePath { path in
            let configuration = Self.configuration(generation: generation)
            var store = try SQLiteLogStorage(path: path, readers: 2, configuration: configuration)
            var model: [[UInt8]: Set<UInt64>] = [:]
            var next = 0
            var largestBatch = 0
            for round in 0..<100 {
                let size = Int.random(in: 0...10)
                let first = next
                var rows = 0
                try store.write { tx in
                    for i in first..<first + size {
                        for key in Self.keys(i) {
                            try tx.putSearchKey(key, index: UInt64(i))
                            rows += 1
                        }
                    }
                }
                for i in first..<first + size { for key in Self.keys(i) { model[key, default: []].insert(UInt64(i)) } }
                next += size
                largestBatch = max(largestBatch, rows)
                #expect(try tailRows("search_tail", path: path) <= 2 * generation + largestBatch)
                if round % 35 == 34 {
                    store = try SQLiteLogStorage(path: path, readers: 2, configuration: configuration)
                }
                for key in model.keys where key.count < 20 || Int.random(in: 0..<10) == 0 {
                    let expected = model[key]!.sorted()
                    #expect(try store.indices(forKey: key, limit: 10_000) == expected, "round \(round)")
                    #expect(try store.indices(forKey: key, limit: 2) == Array(expected.prefix(2)))
                }
            }
            for (key, indices) in model { #expect(try store.indices(forKey: key, limit: 10_000) == indices.sorted()) }
            #expect(try store.indices(forKey: Array("key:none".utf8), limit: 10) == [])
            // Everything but the last two generations has reached the runs, each row once.
            let distinct = model.values.reduce(0) { $0 + $1.count }
            let merged = try mergedRows("search", path: path)
            #expect(merged <= distinct)
            #expect(merged >= distinct - 2 * generation - largestBatch)
        }
    }

    /// A transaction that fails after recording keys (with seals and merges due) leaves no
    /// trace in memory or in the file.
    @Test func aFailedWriteLeavesTheTailAsItWas() throws {
        try withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 1, configuration: Self.configuration(generation: 4))
            for i in 0..<10 {
                try store.write { tx in for key in Self.keys(i) { try tx.putSearchKey(key, index: UInt64(i)) } }
            }
            let tailBefore = try tailRows("search_tail", path: path)
            let blocks = try Self.count("search_blocks", path: path)
            let before = try Self.keys(3).map { try store.indices(forKey: $0, limit: 100) }
            #expect(throws: DeliberateFailure.self) {
                try store.write { tx in
                    for i in 10..<20 { for key in Self.keys(i) { try tx.putSearchKey(key, index: UInt64(i)) } }
                    throw DeliberateFailure()
                }
            }
            #expect(try Self.keys(3).map { try store.indices(forKey: $0, limit: 100) } == before)
            for i in 10..<20 { #expect(try store.indices(forKey: Self.keys(i)[0], limit: 100) == []) }
            #expect(try tailRows("search_tail", path: path) == tailBefore)
            #expect(try Self.count("search_blocks", path: path) == blocks)
            #expect(throws: StorageError.self) { try store.write { tx in try tx.putSearchKey([], index: 1) } }
        }
    }
}
