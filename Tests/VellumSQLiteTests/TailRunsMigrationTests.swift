import Foundation
import Testing
import VellumMerkle
import VellumStorage

@testable import VellumSQLite

/// Migration 0008 (tail runs) on a database at version 7: each tail row becomes a run of one,
/// its index encoded little-endian byte by byte in SQL, and the store reads and extends them.
@Suite struct TailRunsMigrationTests {
    static let tailRunsVersion = Migrations.embedded.all.first { $0.name == "tail_runs" }!.version

    /// Indices that put every byte position to use, up to the largest a row may hold.
    static let indices: [Int64] = [0, 1, 127, 128, 255, 256, 65_535, 1 << 31 + 7, 1 << 40 + 3, 1 << 56 + 0x0102, Int64.max]

    static func identity(_ i: Int) -> Hash { RFC6962.leafHash(Array("tail run identity \(i)".utf8)) }
    static func key(_ i: Int) -> [UInt8] { Array("tail run key \(i)".utf8) }

    static func makeVersion7(path: String) throws {
        let migrations = try Migrations(Array(Migrations.embedded.all.prefix(tailRunsVersion - 1)))
        let connection = try SQLiteConnection.openWriter(path: path, migrations: migrations)
        try connection.transaction {
            for (seq, index) in indices.enumerated() {
                try connection.run("INSERT INTO identity_tail (seq, leaf_hash, idx) VALUES (?1, ?2, ?3)") {
                    try $0.bind(seq, at: 1)
                    try $0.bind(Self.identity(seq).bytes, at: 2)
                    try $0.bind(index, at: 3)
                }
                try connection.run("INSERT INTO search_tail (seq, key, idx) VALUES (?1, ?2, ?3)") {
                    try $0.bind(seq, at: 1)
                    try $0.bind(SQLiteLogStorage.searchDigest(Self.key(seq % 3)).bytes, at: 2)
                    try $0.bind(index, at: 3)
                }
            }
        }
        try connection.close()
    }

    @Test func convertsEachRowIntoARunOfOneAndKeepsAppending() throws {
        try withDatabasePath { path in
            try Self.makeVersion7(path: path)
            var configuration = SQLiteConfiguration()
            configuration.identityTailEntries = 1000
            configuration.searchTailEntries = 1000
            var store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
            let reader = try SQLiteConnection.openReader(path: path)
            #expect(try Migrations.schemaVersion(of: reader) == Migrations.embedded.latestVersion)
            for table in ["identity_tail", "search_tail"] {
                let runs = try reader.withStatement("SELECT seq, count, length(data) FROM \(table) ORDER BY seq") { statement in
                    try statement.mapRows { [$0.int64(at: 0), $0.int64(at: 1), $0.int64(at: 2)] }
                }
                #expect(runs == Self.indices.indices.map { [Int64($0), 1, 44] }, "\(table)")
            }
            func check() throws {
                for (i, index) in Self.indices.enumerated() {
                    #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(index), "identity \(i)")
                }
                for key in 0..<3 {
                    let expected = Self.indices.enumerated().filter { $0.offset % 3 == key }.map { UInt64($0.element) }.sorted()
                    #expect(try store.indices(forKey: Self.key(key), limit: 100) == expected, "key \(key)")
                }
            }
            try check()
            // New transactions append runs after the converted ones; all of it survives a reopen.
            try store.write { tx in
                for i in 100..<110 {
                    _ = try tx.putIdentityIfAbsent(Self.identity(i), index: UInt64(i))
                    try tx.putSearchKey(Self.key(i), index: UInt64(i))
                }
            }
            store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
            try check()
            for i in 100..<110 {
                #expect(try store.index(ofIdentity: Self.identity(i)) == UInt64(i))
                #expect(try store.indices(forKey: Self.key(i), limit: 10) == [UInt64(i)])
            }
            #expect(try tailRows("identity_tail", path: path) == Self.indices.count + 10)
        }
    }
}
