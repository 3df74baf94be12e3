import CSQLite
import Foundation
import Testing

@testable import VellumSQLite

@Suite struct MigrationsTests {
    static let tables = [
        "attachments", "checkpoints", "entry_bundles", "identities", "identity_blocks", "identity_merge", "identity_tail",
        "index_compactions", "index_runs", "log_metadata", "open_runs", "search_blocks", "search_index",
        "search_merge", "search_tail", "tiles", "tree_state",
    ]

    private func tableNames(_ connection: SQLiteConnection) throws -> [String] {
        try connection.withStatement(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
        ) { try $0.mapRows { $0.text(at: 0) } }
    }

    private func schemaText(_ connection: SQLiteConnection) throws -> [String] {
        try connection.withStatement("SELECT sql FROM sqlite_schema ORDER BY name") {
            try $0.mapRows { $0.text(at: 0) }
        }
    }

    @Test func appliesEveryMigrationToAnEmptyDatabase() throws {
        try withDatabasePath { path in
            let connection = try SQLiteConnection(path: path)
            let result = try Migrations.embedded.apply(to: connection)
            #expect(result == MigrationResult(fromVersion: 0, toVersion: 9))
            #expect(try Migrations.schemaVersion(of: connection) == 9)
            #expect(try connection.pragma("application_id") == "\(Migrations.applicationID)")
            #expect(try tableNames(connection) == Self.tables)
        }
    }

    @Test func reopeningAMigratedDatabaseChangesNothing() throws {
        try withDatabasePath { path in
            let first = try SQLiteConnection.openWriter(path: path)
            let schema = try schemaText(first)
            try first.close()

            let second = try SQLiteConnection.openWriter(path: path)
            let result = try Migrations.embedded.apply(to: second)
            #expect(result.wasCurrent)
            #expect(result.toVersion == Migrations.embedded.latestVersion)
            #expect(try schemaText(second) == schema)
        }
    }

    @Test func appliesMigrationsAddedLater() throws {
        try withDatabasePath { path in
            let one = Migration(version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER);")
            let two = Migration(version: 2, name: "two", sql: "CREATE TABLE b (y INTEGER);")
            let connection = try SQLiteConnection(path: path)
            #expect(try Migrations([one]).apply(to: connection).toVersion == 1)
            let result = try Migrations([one, two]).apply(to: connection)
            #expect(result == MigrationResult(fromVersion: 1, toVersion: 2))
            #expect(try tableNames(connection) == ["a", "b"])
        }
    }

    @Test func refusesADatabaseFromANewerBinaryNamingBothVersions() throws {
        try withDatabasePath { path in
            let latest = Migrations.embedded.latestVersion
            try SQLiteConnection.openWriter(path: path)
                .execute("PRAGMA user_version = \(latest + 1)")

            let error = #expect(throws: MigrationError.self) {
                _ = try SQLiteConnection.openWriter(path: path)
            }
            #expect(
                error == .newerDatabase(
                    path: path, databaseVersion: latest + 1, latestKnownVersion: latest))
            let message = error?.description ?? ""
            #expect(message.contains("schema version \(latest + 1)"))
            #expect(message.contains("up to version \(latest)"))
            #expect(message.contains(path))

            // Readers refuse it too, and nothing was changed.
            #expect(throws: MigrationError.self) { _ = try SQLiteConnection.openReader(path: path) }
            let plain = try SQLiteConnection(path: path, mode: .readOnly)
            #expect(try Migrations.schemaVersion(of: plain) == latest + 1)
        }
    }

    @Test func refusesADatabaseThatIsNotVellums() throws {
        try withDatabasePath { path in
            try SQLiteConnection(path: path).execute("CREATE TABLE theirs (x INTEGER)")
            let error = #expect(throws: MigrationError.self) {
                _ = try SQLiteConnection.openWriter(path: path)
            }
            #expect(error == .notAVellumDatabase(path: path, applicationID: 0))
            let plain = try SQLiteConnection(path: path, mode: .readOnly)
            #expect(try tableNames(plain) == ["theirs"])
        }
    }

    @Test func failedMigrationIsRolledBackWhole() throws {
        try withDatabasePath { path in
            let migrations = try Migrations([
                Migration(version: 1, name: "good", sql: "CREATE TABLE a (x INTEGER);"),
                Migration(
                    version: 2, name: "bad",
                    sql: "CREATE TABLE b (y INTEGER); INSERT INTO missing VALUES (1);"),
            ])
            let connection = try SQLiteConnection(path: path)
            let error = #expect(throws: MigrationError.self) {
                try migrations.apply(to: connection)
            }
            guard case .migrationFailed(let version, let name, let underlying) = error else {
                Issue.record("expected migrationFailed, got \(String(describing: error))")
                return
            }
            #expect(version == 2 && name == "bad")
            #expect(underlying.message.contains("no such table: missing"))
            #expect(error?.description.contains("rolled back") == true)
            #expect(try Migrations.schemaVersion(of: connection) == 1)
            #expect(try tableNames(connection) == ["a"])
            #expect(connection.isAutocommit)
        }
    }

    /// A numbering of migration files and what `Migrations.init` must say about it.
    struct NumberingVector: Sendable, CustomTestStringConvertible {
        let name: String
        let versions: [Int]
        let expected: MigrationError?
        var testDescription: String { name }
    }

    static let numberingVectors = [
        NumberingVector(name: "none", versions: [], expected: nil),
        NumberingVector(name: "in-order", versions: [1, 2, 3], expected: nil),
        NumberingVector(name: "unsorted", versions: [2, 1], expected: nil),
        NumberingVector(
            name: "starts-at-2", versions: [2, 3],
            expected: .gapInVersions(expected: 1, found: 2)),
        NumberingVector(
            name: "starts-at-0", versions: [0, 1],
            expected: .gapInVersions(expected: 1, found: 0)),
        NumberingVector(
            name: "gap-after-1", versions: [1, 3],
            expected: .gapInVersions(expected: 2, found: 3)),
        NumberingVector(
            name: "duplicate-2", versions: [1, 2, 2],
            expected: .duplicateVersion(2, names: ["m2", "m2"])),
    ]

    @Test(arguments: numberingVectors)
    func checksNumbering(vector: NumberingVector) throws {
        let migrations = vector.versions.map {
            Migration(version: $0, name: "m\($0)", sql: "SELECT 1;")
        }
        if let expected = vector.expected {
            let error = #expect(throws: MigrationError.self) { _ = try Migrations(migrations) }
            #expect(error == expected)
        } else {
            let valid = try Migrations(migrations)
            #expect(valid.all.map(\.version) == vector.versions.sorted())
        }
    }

    @Test func schemaRejectsMalformedRows() throws {
        try withDatabasePath { path in
            let writer = try SQLiteConnection.openWriter(path: path)
            let bad = [
                "INSERT INTO tiles (level, idx, data) VALUES (0, 0, zeroblob(31))",
                "INSERT INTO tiles (level, idx, data) VALUES (0, 0, zeroblob(8224))",
                "INSERT INTO tiles (level, idx, data) VALUES (0, -1, zeroblob(32))",
                "INSERT INTO tiles (level, idx, data) VALUES (0, 'x', zeroblob(32))",
                "INSERT INTO tree_state (id, size, root) VALUES (1, 0, zeroblob(32))",
                "INSERT INTO tree_state (id, size, root) VALUES (0, 0, zeroblob(31))",
                "INSERT INTO identities (leaf_hash, idx) VALUES (zeroblob(20), 0)",
                "INSERT INTO checkpoints (size, root, note, signed_at) VALUES (1, zeroblob(32), '', 0)",
                "INSERT INTO log_metadata (key, value) VALUES (NULL, 'v')",
                "INSERT INTO open_runs (idx, count, data) VALUES (-1, 1, x'000161')",
                "INSERT INTO open_runs (idx, count, data) VALUES (0, 0, x'')",
                "INSERT INTO open_runs (idx, count, data) VALUES (0, 256, zeroblob(512))",
                "INSERT INTO open_runs (idx, count, data) VALUES (0, 2, x'0000')",
                "INSERT INTO open_runs (idx, count, data) VALUES (0, 1, zeroblob(65538))",
                "INSERT INTO open_runs (idx, count, data) VALUES (0, 1, 'text')",
                "INSERT INTO open_runs (idx, count, data) VALUES (0, 1, NULL)",
                "INSERT INTO open_runs (idx, count, data) VALUES (0, NULL, x'0000')",
            ]
            for sql in bad {
                let error = #expect(throws: SQLiteError.self, "\(sql)") { try writer.run(sql) }
                #expect(error?.isConstraintViolation == true, "\(sql)")
            }
            try writer.run("INSERT INTO tiles (level, idx, data) VALUES (0, 0, zeroblob(8192))")
            try writer.run("INSERT INTO tree_state (id, size, root) VALUES (0, 0, zeroblob(32))")
            try writer.run("INSERT INTO open_runs (idx, count, data) VALUES (0, 1, zeroblob(65537))")
            try writer.run("INSERT INTO open_runs (idx, count, data) VALUES (1, 255, zeroblob(510))")
        }
    }

    /// The embedded copy must equal `migrations/*.sql`; regenerate it with the script.
    @Test func embeddedMigrationsMatchTheFilesInMigrationsDirectory() throws {
        let directory = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // VellumSQLiteTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
        let onDisk = try files.map { file -> Migration in
            let stem = file.dropLast(".sql".count)
            let version = try #require(Int(stem.prefix(4)), "\(file): expected NNNN_name.sql")
            #expect(stem.dropFirst(4).first == "_", "\(file): expected NNNN_name.sql")
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            return Migration(version: version, name: String(stem.dropFirst(5)), sql: sql)
        }
        #expect(!onDisk.isEmpty, "no migrations found in \(directory.path)")
        let embedded = Migrations.embedded.all
        #expect(
            onDisk.map { "\($0.version) \($0.name)" } == embedded.map { "\($0.version) \($0.name)" },
            "the embedded migrations are not the files in migrations/: run scripts/embed-migrations")
        for (file, copy) in zip(onDisk, embedded) where file.sql != copy.sql {
            let line = zip(file.sql.split(separator: "\n", omittingEmptySubsequences: false),
                           copy.sql.split(separator: "\n", omittingEmptySubsequences: false))
                .prefix { $0 == $1 }.count + 1
            let message = "migration \(file.version) (\(file.name)) differs from its embedded "
                + "copy from line \(line) on: run scripts/embed-migrations"
            Issue.record(Comment(rawValue: message))
        }
        #expect(throws: Never.self) { _ = try Migrations(onDisk) }
    }
}
