import Foundation
import Testing
import VellumMerkle
import VellumStorage
import VellumTesting

@testable import VellumSQLite

/// The tiered merge of index runs (`migrations/0007_index_runs.sql`, `RunMerge`): the number
/// of runs stays logarithmic, merged runs go away, merges spread over many transactions resume
/// where they stopped after a reopen, and every row stays findable throughout.
@Suite struct IndexRunsTests {
    static func identity(_ i: Int) -> Hash { RFC6962.leafHash(Array("run identity \(i)".utf8)) }

    static func runs(_ name: String, path: String) throws -> [IndexRun] {
        let reader = try SQLiteConnection.openReader(path: path)
        return try IndexRuns.load(reader, name == "identity" ? .identities : .search)
    }

    static func compactionsInProgress(_ reader: SQLiteConnection) throws -> Int {
        try reader.withStatement("SELECT count(*) FROM index_compactions") { s in
            _ = try s.step()
            return Int(s.int64(at: 0))
        }
    }

    static func configuration(generation: Int) -> SQLiteConfiguration {
        var configuration = SQLiteConfiguration()
        configuration.identityTailEntries = generation
        configuration.searchTailEntries = generation
        return configuration
    }

    /// 300 generations of 8 identities: the live runs stay a few per level, retired runs are
    /// deleted, and every identity is found at its index.
    @Test func runsStayFewAndRetiredOnesGo() throws {
        try withDatabasePath { path in
            let generation = 8
            let store = try SQLiteLogStorage(path: path, readers: 1, configuration: Self.configuration(generation: generation))
            var next = 0
            var mostLive = 0
            for _ in 0..<300 {
                try store.commit { tx in
                    for i in next..<next + generation { _ = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i)) }
                }
                next += generation
                let runs = try Self.runs("identity", path: path)
                mostLive = max(mostLive, runs.filter { $0.state == .live }.count)
                // A merge of bigger runs spans transactions while smaller merges wait, so
                // retired runs may pile up for a while, a few merges' worth at most.
                #expect(runs.filter { $0.state == .retired }.count <= 3 * IndexRuns.fanIn)
            }
            // Transactions that record nothing finish the merges and the deletions; what stays
            // is the live runs and the sealed generation's run, building until the next seal.
            for _ in 0..<200 { try store.commit { _ in } }
            let after = try Self.runs("identity", path: path)
            #expect(after.allSatisfy { $0.state != .retired && $0.mergingInto == nil })
            #expect(after.filter { $0.state == .building }.count <= 1)
            #expect(try Self.compactionsInProgress(SQLiteConnection.openReader(path: path)) == 0)
            // 300 generations are levels 0-4 (4^4 = 256): at most three runs per level but
            // while a merge is running, when the fourth waits too.
            #expect(mostLive <= 5 * IndexRuns.fanIn)
            let levels = try Self.runs("identity", path: path).filter { $0.state == .live }.map { $0.level(generation: generation) }
            #expect(levels.max() ?? 0 >= 3)
            for i in 0..<next { #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
            #expect(try store.index(ofIdentity: Self.identity(next)) == nil)
            #expect(try liveRunKeysAreDistinct("identity", path: path))
            #expect(try mergedRows("identity", path: path) >= next - 2 * generation)
        }
    }

    /// Generations of 300 rows and transactions of one row: each merge writes one block per
    /// transaction, so it spans hundreds of them; reopening the store in the middle of merges
    /// resumes them from the stored cursor, and nothing is lost or found twice.
    @Test func mergesResumeAfterReopening() throws {
        try withDatabasePath { path in
            let generation = 300
            let configuration = Self.configuration(generation: generation)
            var store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
            var reopenedMidMerge = 0
            var reopenedThisMerge = false
            let total = generation * 14
            let reader = try SQLiteConnection.openReader(path: path)
            for i in 0..<total {
                try store.commit { tx in
                    _ = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i))
                    try tx.putSearchKey(Array("key:\(i % 50)".utf8), index: UInt64(i))
                }
                // Once in every merge, after its first transaction.
                if try Self.compactionsInProgress(reader) == 0 {
                    reopenedThisMerge = false
                } else if !reopenedThisMerge {
                    store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
                    reopenedThisMerge = true
                    reopenedMidMerge += 1
                }
            }
            #expect(reopenedMidMerge >= 3)
            #expect(try Self.runs("identity", path: path).contains { $0.level(generation: generation) >= 1 && $0.state == .live })
            for i in 0..<total { #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
            // Each shared key's 84 entries span several blocks of the merged runs.
            for key in 0..<50 {
                let expected = stride(from: key, to: total, by: 50).map(UInt64.init)
                #expect(try store.indices(forKey: Array("key:\(key)".utf8), limit: 1000) == expected, "key \(key)")
            }
            #expect(try liveRunKeysAreDistinct("identity", path: path))
        }
    }
}
