import Foundation
import Testing
import VellumMerkle
import VellumStorage

@testable import VellumSQLite

/// Migration 0006 (open_runs) on databases at version 5, where each entry of the open bundle
/// was a row of `open_entries` without its length prefix.
@Suite struct OpenRunsMigrationTests {
    static let openRunsVersion = Migrations.embedded.all.first { $0.name == "open_runs" }!.version

    /// Entries whose lengths put every kind of byte in the prefixes the migration builds (0x00,
    /// 0x7f, 0x80, 0xff in either position), with bytes of every value in their data.
    static let entries: [[UInt8]] = [0, 1, 127, 128, 255, 256, 257, 383, 0x7f80, 0x80ff, 0xff00, 65535].map { length in
        (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ length) }
    }

    /// A database at version 5 holding one full bundle and `entries` as the open rows of the
    /// second.
    static func makeVersion5(path: String) throws {
        let migrations = try Migrations(Array(Migrations.embedded.all.prefix(openRunsVersion - 1)))
        let connection = try SQLiteConnection.openWriter(path: path, migrations: migrations)
        #expect(try Migrations.schemaVersion(of: connection) == openRunsVersion - 1)
        try connection.transaction {
            try connection.run("INSERT INTO entry_bundles (idx, data) VALUES (0, ?1)") {
                try $0.bind(EntryBundle(entries: (0..<256).map { Array("full \($0)".utf8) }).bytes, at: 1)
            }
            for (offset, entry) in entries.enumerated() {
                try connection.run("INSERT INTO open_entries (idx, data) VALUES (?1, ?2)") {
                    try $0.bind(256 + offset, at: 1)
                    try $0.bind(entry, at: 2)
                }
            }
        }
        try connection.close()
    }

    @Test func convertsEachOpenEntryIntoARunOfOneAndKeepsAppending() throws {
        try withDatabasePath { path in
            try Self.makeVersion5(path: path)
            let store = try SQLiteLogStorage(path: path, readers: 1)
            let reader = try SQLiteConnection.openReader(path: path)
            #expect(try Migrations.schemaVersion(of: reader) == Migrations.embedded.latestVersion)
            let rows = try reader.withStatement("SELECT idx, count, data FROM open_runs ORDER BY idx") { statement in
                try statement.mapRows { ($0.int64(at: 0), $0.int64(at: 1), $0.blob(at: 2)) }
            }
            #expect(rows.map(\.0) == (0..<Int64(Self.entries.count)).map { 256 + $0 })
            #expect(rows.allSatisfy { $0.1 == 1 })
            for (row, entry) in zip(rows, Self.entries) {
                #expect(row.2 == EntryBundle(entries: [entry]).bytes, "entry of \(entry.count) bytes")
            }
            #expect(try store.entryBundle(index: 1) == EntryBundle(entries: Self.entries).bytes)
            for (position, entry) in Self.entries.enumerated() {
                #expect(try store.entry(bundleIndex: 1, position: position) == entry, "entry \(position)")
            }

            // The next batch adds one run after the converted ones; filling the bundle joins them.
            var grown = Self.entries + [Array("next".utf8)]
            try store.write { try $0.putEntryBundle(index: 1, bytes: EntryBundle(entries: grown).bytes) }
            #expect(try store.entryBundle(index: 1) == EntryBundle(entries: grown).bytes)
            grown += (grown.count..<256).map { Array("filler \($0)".utf8) }
            try store.write { try $0.putEntryBundle(index: 1, bytes: EntryBundle(entries: grown).bytes) }
            #expect(try store.entryBundle(index: 1) == EntryBundle(entries: grown).bytes)
            #expect(try reader.withStatement("SELECT count(*) FROM open_runs") { try $0.step() ? $0.int64(at: 0) : -1 } == 0)
        }
    }

    @Test func convertsADatabaseWithoutOpenEntries() throws {
        try withDatabasePath { path in
            let migrations = try Migrations(Array(Migrations.embedded.all.prefix(Self.openRunsVersion - 1)))
            try SQLiteConnection.openWriter(path: path, migrations: migrations).close()
            let store = try SQLiteLogStorage(path: path, readers: 1)
            #expect(try store.entryBundle(index: 0) == nil)
            try store.write { try $0.putEntryBundle(index: 0, bytes: EntryBundle(entries: [[1, 2, 3]]).bytes) }
            #expect(try store.entry(bundleIndex: 0, position: 0) == [1, 2, 3])
        }
    }
}
