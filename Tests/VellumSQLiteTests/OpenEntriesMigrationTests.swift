import Foundation
import Testing
import VellumMerkle
import VellumStorage

@testable import VellumSQLite

/// Migration 0004 (open_entries) on databases written before it, where the open bundle was a
/// row of `entry_bundles` like the full ones.
@Suite struct OpenEntriesMigrationTests {
    /// The version of the migration that added `open_entries`.
    static let openEntriesVersion = Migrations.embedded.all.first { $0.name == "open_entries" }!.version

    /// A database at `path`, migrated up to `version` (below `openEntriesVersion`), whose
    /// `entry_bundles` holds `rows`.
    static func makeLegacy(path: String, version: Int = openEntriesVersion - 1, rows: [(index: Int, bytes: [UInt8])]) throws {
        let migrations = try Migrations(Array(Migrations.embedded.all.prefix(version)))
        let connection = try SQLiteConnection.openWriter(path: path, migrations: migrations)
        #expect(try Migrations.schemaVersion(of: connection) == version)
        try connection.transaction {
            for row in rows {
                try connection.run("INSERT INTO entry_bundles (idx, data) VALUES (?1, ?2)") {
                    try $0.bind(row.index, at: 1)
                    try $0.bind(row.bytes, at: 2)
                }
            }
        }
        try connection.close()
    }

    static func bytes(_ size: Int, bundle: Int) -> [UInt8] { OpenEntriesTests.bundleBytes(bundle, size: size) }

    /// From version 2 (the first with entry bundles' current layout and the identity tail)
    /// and from the version just before `open_entries`.
    @Test(arguments: [2, openEntriesVersion - 1])
    func convertsALegacyPartialBundleAndKeepsAppending(fromVersion: Int) throws {
        try withDatabasePath { path in
            // Two full bundles and a partial third of 37 entries (entry 0 of the model is empty).
            try Self.makeLegacy(path: path, version: fromVersion, rows: (0..<3).map { ($0, Self.bytes(549, bundle: $0)) })
            var store = try SQLiteLogStorage(path: path, readers: 2)
            #expect(try Migrations.schemaVersion(of: SQLiteConnection.openReader(path: path)) == Migrations.embedded.latestVersion)
            try OpenEntriesTests.expectLog(store, size: 549, "converted")

            // The sequencer's next batches extend the converted bundle, fill it, open the next.
            try store.write { try OpenEntriesTests.append($0, from: 549, to: 600) }
            try OpenEntriesTests.expectLog(store, size: 600, "extended")
            try store.write { try OpenEntriesTests.append($0, from: 600, to: 800) }
            try OpenEntriesTests.expectLog(store, size: 800, "filled and opened the next")
            store = try SQLiteLogStorage(path: path, readers: 2)
            try OpenEntriesTests.expectLog(store, size: 800, "reopened")
        }
    }

    @Test func leavesAFullLastBundleWhereItIs() throws {
        try withDatabasePath { path in
            try Self.makeLegacy(path: path, rows: (0..<2).map { ($0, Self.bytes(512, bundle: $0)) })
            let store = try SQLiteLogStorage(path: path, readers: 1)
            try OpenEntriesTests.expectLog(store, size: 512, "converted")
            try store.write { try OpenEntriesTests.append($0, from: 512, to: 515) }
            try OpenEntriesTests.expectLog(store, size: 515, "extended")
        }
    }

    @Test func convertsAnEmptyLog() throws {
        try withDatabasePath { path in
            try Self.makeLegacy(path: path, rows: [])
            let store = try SQLiteLogStorage(path: path, readers: 1)
            try OpenEntriesTests.expectLog(store, size: 0, "converted")
        }
    }

    /// Named mutations of the last row; each must fail the migration, which keeps the old
    /// version.
    @Test(arguments: [
        ("truncated-entry", [0, 1, 0x61, 0, 5, 1, 2]),
        ("lone-length-byte", [0, 1, 0x61, 0]),
        ("257-entries", [UInt8](repeating: 0, count: 2 * 257)),
    ] as [(String, [UInt8])])
    func refusesAMalformedLastBundle(name: String, bytes: [UInt8]) throws {
        try withDatabasePath { path in
            try Self.makeLegacy(path: path, rows: [(0, Self.bytes(256, bundle: 0)), (1, bytes)])
            let error = #expect(throws: MigrationError.self, "\(name)") { _ = try SQLiteLogStorage(path: path, readers: 1) }
            guard case .migrationFailed(let version, _, let underlying) = error else {
                Issue.record("\(name): expected migrationFailed, got \(String(describing: error))")
                return
            }
            #expect(version == Self.openEntriesVersion, "\(name)")
            #expect(underlying.message.contains("not a valid entry bundle"), "\(name): \(underlying.message)")
            let connection = try SQLiteConnection(path: path, mode: .readOnly)
            #expect(try Migrations.schemaVersion(of: connection) == Self.openEntriesVersion - 1, "\(name)")
            #expect(try rowCount(connection, table: "entry_bundles") == 2, "\(name)")
        }
    }
}
