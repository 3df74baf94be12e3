import Foundation
import Testing
import VellumMerkle
import VellumSQLite
import VellumStorage
import VellumTesting

/// The two-level identity index (`migrations/0002_identity_tail.sql`) with generations small
/// enough that a test crosses many seals and merges.
@Suite struct IdentityTailTests {
    static func configuration(generation: Int) -> SQLiteConfiguration {
        var configuration = SQLiteConfiguration()
        configuration.identityTailEntries = generation
        return configuration
    }

    /// Both tails (identities and search keys) with generations of `generation` rows.
    static func bothTails(generation: Int) -> SQLiteConfiguration {
        var configuration = configuration(generation: generation)
        configuration.searchTailEntries = generation
        return configuration
    }

    static func identity(_ i: Int) -> Hash { RFC6962.leafHash(Array("identity \(i)".utf8)) }

    static func count(_ table: String, path: String) throws -> Int {
        try SQLiteConnection.openReader(path: path).withStatement("SELECT count(*) FROM \(table)") { s in
            _ = try s.step()
            return Int(s.int64(at: 0))
        }
    }

    @Test(arguments: [1, 2, 7, 64])
    func passesTheStorageConformanceSuite(generation: Int) throws {
        for check in StorageConformance.checks {
            try withDatabasePath { path in
                try check.run(SQLiteLogStorage(path: path, readers: 1, configuration: Self.bothTails(generation: generation)))
            }
        }
    }

    /// Many transactions of varying size: every identity stays findable at its index, through
    /// seals and merges and across reopening, duplicates of every generation are recognised,
    /// and the tail never holds much more than two generations.
    @Test(arguments: [1, 5, 16, 100])
    func identitiesStayFindableThroughSealsAndMerges(generation: Int) throws {
        try withDatabasePath { path in
            let configuration = Self.configuration(generation: generation)
            var store = try SQLiteLogStorage(path: path, readers: 2, configuration: configuration)
            var generator = SeededGenerator(seed: UInt64(generation))
            var next = 0
            var largestBatch = 0
            for round in 0..<120 {
                let size = Int.random(in: 0...12, using: &generator)
                largestBatch = max(largestBatch, size)
                let first = next
                try store.write { tx in
                    for i in first..<first + size {
                        let existing = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i))
                        #expect(existing == nil)
                    }
                    // A duplicate of an old entry, of this batch, and of the one just before.
                    if first > 0 {
                        let old = Int.random(in: 0..<first, using: &generator)
                        let existing = try tx.putIdentityIfAbsent(Self.identity(old), index: 999_999)
                        #expect(existing == UInt64(old))
                    }
                    if size > 0 {
                        let existing = try tx.putIdentityIfAbsent(Self.identity(first), index: 999_999)
                        #expect(existing == UInt64(first))
                        #expect(throws: StorageError.self) { try tx.putIdentity(Self.identity(first + size - 1), index: 999_999) }
                    }
                }
                next += size
                #expect(try tailRows("identity_tail", path: path) <= 2 * generation + largestBatch)
                if round % 40 == 39 {
                    store = try SQLiteLogStorage(path: path, readers: 2, configuration: configuration)
                }
                for i in stride(from: 0, to: next, by: max(1, next / 25)) {
                    #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i), "identity \(i) after round \(round)")
                }
            }
            for i in 0..<next { #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
            #expect(try store.index(ofIdentity: Self.identity(next)) == nil)
            // Everything but the last two generations has reached the runs, each identity once.
            #expect(try mergedRows("identity", path: path) >= next - 2 * generation - largestBatch)
            #expect(try liveRunKeysAreDistinct("identity", path: path))
        }
    }

    /// The merge state and the tail table as stored: (sealed_end, next_slice, rows, lowest seq).
    static func tailState(path: String) throws -> (sealedEnd: Int64, nextSlice: Int64, rows: Int, lowest: Int64?) {
        let reader = try SQLiteConnection.openReader(path: path)
        let merge = try reader.withStatement("SELECT sealed_end, next_slice FROM identity_merge WHERE id = 0") { s in
            try s.step() ? (s.int64(at: 0), s.int64(at: 1)) : (0, 256)
        }
        let (rows, lowest) = try reader.withStatement("SELECT coalesce(sum(count), 0), min(seq) FROM identity_tail") { s in
            _ = try s.step()
            return (Int(s.int64(at: 0)), s.isNull(at: 1) ? nil : s.int64(at: 1))
        }
        return (merge.0, merge.1, rows, lowest)
    }

    /// A finished merge leaves its rows in the tail table; later batches delete them a few at a
    /// time (at most max(256, four times their own rows)), all before the next seal (with batches
    /// larger than a generation, every batch seals, and deletes all that is left first), and a
    /// store reopened while some are left goes on correctly.
    @Test(arguments: [10, 1100])
    func mergedRowsLeaveAFewPerBatchAndAllBeforeTheNextSeal(batch: Int) throws {
        try withDatabasePath { path in
            let configuration = Self.configuration(generation: 1024)
            var store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
            var before = try Self.tailState(path: path)
            var reopened = false
            var seals = 0
            var sawLingering = false
            let rounds = max(4200 / batch, 6)
            for round in 0..<rounds {
                try store.write { tx in
                    for i in round * batch..<(round + 1) * batch {
                        let existing = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i))
                        #expect(existing == nil)
                    }
                }
                let after = try Self.tailState(path: path)
                let deleted = before.rows + batch - after.rows
                if after.sealedEnd == before.sealedEnd {
                    #expect(deleted <= max(256, 4 * batch), "round \(round) deleted \(deleted) rows")
                } else {
                    // A seal: nothing is left of the generation sealed before.
                    seals += 1
                    #expect((after.lowest ?? after.sealedEnd) >= before.sealedEnd, "round \(round)")
                }
                let lingering = after.nextSlice == 256 && (after.lowest ?? after.sealedEnd) < after.sealedEnd
                sawLingering = sawLingering || lingering
                if lingering && !reopened {
                    store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
                    reopened = true
                }
                before = after
            }
            #expect(seals >= 3)
            if batch < 256 { #expect(reopened && sawLingering) }
            for i in 0..<rounds * batch { #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
            #expect(try liveRunKeysAreDistinct("identity", path: path))
        }
    }

    /// A transaction that fails after recording identities (and after sealing or merging would
    /// have happened) leaves no trace in memory or in the file.
    @Test func aFailedWriteLeavesTheTailAsItWas() throws {
        try withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 1, configuration: Self.configuration(generation: 4))
            for i in 0..<10 {
                try store.write { tx in _ = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i)) }
            }
            let tailBefore = try tailRows("identity_tail", path: path)
            let blocks = try Self.count("identity_blocks", path: path)
            let runs = try Self.count("index_runs", path: path)
            #expect(throws: DeliberateFailure.self) {
                try store.write { tx in
                    for i in 10..<20 { _ = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i)) }
                    throw DeliberateFailure()
                }
            }
            for i in 10..<20 { #expect(try store.index(ofIdentity: Self.identity(i)) == nil) }
            for i in 0..<10 { #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
            #expect(try tailRows("identity_tail", path: path) == tailBefore)
            #expect(try Self.count("identity_blocks", path: path) == blocks)
            #expect(try Self.count("index_runs", path: path) == runs)
            // And the store goes on as if the failed write had never been tried.
            try store.write { tx in
                for i in 10..<20 {
                    let existing = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i))
                    #expect(existing == nil)
                }
            }
            let reopened = try SQLiteLogStorage(path: path, readers: 1, configuration: Self.configuration(generation: 4))
            for i in 0..<20 { #expect(try reopened.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
        }
    }

    /// A database left by version 2 in the middle of a merge (its slices were by first byte)
    /// opens at version 3, restarts the merge from the first slice (into run 0 since version
    /// 7, the slices merged before staying in `identities`), and ends it with every identity
    /// findable, and once in the runs.
    @Test func aMergeLeftByVersion2IsRedoneWhole() throws {
        try withDatabasePath { path in
            let generation = 40
            do {
                let connection = try SQLiteConnection(path: path)
                try Migrations(Array(Migrations.embedded.all.prefix(2))).apply(to: connection)
                try connection.transaction {
                    for i in 0..<generation {
                        try connection.run("INSERT INTO identity_tail (seq, leaf_hash, idx) VALUES (?, ?, ?)") {
                            try $0.bind(i, at: 1)
                            try $0.bind(Self.identity(i).bytes, at: 2)
                            try $0.bind(i, at: 3)
                        }
                        // What version 2 had merged: the slices (first bytes) below 100.
                        if Self.identity(i).bytes[0] < 100 {
                            try connection.run("INSERT INTO identities (leaf_hash, idx) VALUES (?, ?)") {
                                try $0.bind(Self.identity(i).bytes, at: 1)
                                try $0.bind(i, at: 2)
                            }
                        }
                    }
                    try connection.execute("INSERT INTO identity_merge (id, sealed_end, next_slice) VALUES (0, \(generation), 100)")
                }
                try connection.close()
            }
            let store = try SQLiteLogStorage(path: path, readers: 1, configuration: Self.configuration(generation: generation))
            for i in 0..<generation { #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
            // Full generations of new identities drive the merge to its end.
            for round in 0..<4 {
                try store.write { tx in
                    for i in generation * (round + 1)..<generation * (round + 2) {
                        let existing = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i))
                        #expect(existing == nil)
                    }
                }
            }
            #expect(try liveRunRows("identity", path: path).count >= 4 * generation)
            let reopened = try SQLiteLogStorage(path: path, readers: 1, configuration: Self.configuration(generation: generation))
            for i in 0..<5 * generation { #expect(try reopened.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
            #expect(try liveRunKeysAreDistinct("identity", path: path))
        }
    }
}
