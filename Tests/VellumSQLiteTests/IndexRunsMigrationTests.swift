import Foundation
import Testing
import VellumMerkle
import VellumStorage

@testable import VellumSQLite

/// Migration 0007 (index runs) on a database at version 6: rows merged into the b-trees stay
/// findable there, the search tail (keys stored as they are) is emptied into `search_index`,
/// and new generations, of digests, become runs.
@Suite struct IndexRunsMigrationTests {
    static let runsVersion = Migrations.embedded.all.first { $0.name == "index_runs" }!.version

    static func identity(_ i: Int) -> Hash { RFC6962.leafHash(Array("migrated identity \(i)".utf8)) }
    static func key(_ i: Int) -> [UInt8] { Array("key:\(i % 5)".utf8) }

    /// Version 6 with 50 identities and 50 search rows in the b-trees, and a sealed search
    /// generation of 20 rows (entries 50-69) whose first 100 slices (of 256) were merged.
    static func makeVersion6(path: String) throws {
        let migrations = try Migrations(Array(Migrations.embedded.all.prefix(runsVersion - 1)))
        let connection = try SQLiteConnection.openWriter(path: path, migrations: migrations)
        let sealed = (50..<70).map { (key: key($0), index: $0) }
            .sorted { $0.key == $1.key ? $0.index < $1.index : $0.key.lexicographicallyPrecedes($1.key) }
        try connection.transaction {
            for i in 0..<50 {
                try connection.run("INSERT INTO identities (leaf_hash, idx) VALUES (?1, ?2)") {
                    try $0.bind(Self.identity(i).bytes, at: 1)
                    try $0.bind(i, at: 2)
                }
                try connection.run("INSERT INTO search_index (key, idx) VALUES (?1, ?2)") {
                    try $0.bind(Self.key(i), at: 1)
                    try $0.bind(i, at: 2)
                }
            }
            for (seq, i) in (50..<70).enumerated() {
                try connection.run("INSERT INTO search_tail (seq, key, idx) VALUES (?1, ?2, ?3)") {
                    try $0.bind(seq, at: 1)
                    try $0.bind(Self.key(i), at: 2)
                    try $0.bind(i, at: 3)
                }
            }
            // Slices 0..<100 of the 20 sealed rows are rows 0..<(20 * 100 / 256).
            for row in sealed.prefix(20 * 100 / 256) {
                try connection.run("INSERT INTO search_index (key, idx) VALUES (?1, ?2)") {
                    try $0.bind(row.key, at: 1)
                    try $0.bind(row.index, at: 2)
                }
            }
            try connection.execute("INSERT INTO search_merge (id, sealed_end, next_slice) VALUES (0, 20, 100)")
        }
        try connection.close()
    }

    static func expected(_ key: Int, through last: Int) -> [UInt64] {
        (0...last).filter { $0 % 5 == key }.map(UInt64.init)
    }

    @Test func keepsTheBTreesAndEmptiesTheSearchTailIntoOne() throws {
        try withDatabasePath { path in
            try Self.makeVersion6(path: path)
            var configuration = SQLiteConfiguration()
            configuration.searchTailEntries = 20
            configuration.identityTailEntries = 20
            var store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
            #expect(try Migrations.schemaVersion(of: SQLiteConnection.openReader(path: path)) == Migrations.embedded.latestVersion)
            let reader = try SQLiteConnection.openReader(path: path)
            #expect(try IndexRuns.load(reader, .search) == [])
            #expect(try IndexRuns.load(reader, .identities) == [])
            for table in ["search_tail", "search_merge"] {
                #expect(try reader.withStatement("SELECT count(*) FROM \(table)") { try $0.step() ? $0.int64(at: 0) : -1 } == 0)
            }
            #expect(try reader.withStatement("SELECT count(*) FROM search_index") { try $0.step() ? $0.int64(at: 0) : -1 } == 70)
            for i in 0..<50 { #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i)) }
            for key in 0..<5 { #expect(try store.indices(forKey: Self.key(key), limit: 100) == Self.expected(key, through: 69)) }

            // Entries 70..<400, a few per transaction, reopening now and then: the merge ends,
            // generations seal into runs and runs merge.
            var next = 70
            while next < 400 {
                let first = next
                try store.commit { tx in
                    for i in first..<first + 7 {
                        _ = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i))
                        try tx.putSearchKey(Self.key(i), index: UInt64(i))
                    }
                }
                next += 7
                if next % 70 == 0 { store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration) }
                for key in 0..<5 {
                    #expect(try store.indices(forKey: Self.key(key), limit: 1000) == Self.expected(key, through: next - 1), "after \(next)")
                }
            }
            // (Entries 50..<70 have search rows only.)
            for i in Array(0..<50) + Array(70..<next) {
                #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i), "identity \(i)")
            }
            let after = try IndexRuns.load(SQLiteConnection.openReader(path: path), .search)
            #expect(after.contains { $0.rows >= 80 && $0.state == .live })
        }
    }
}
