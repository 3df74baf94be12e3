import CSQLite

/// One numbered, forward-only schema change: the contents of `migrations/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    /// The number in the file name; migrations run in increasing order, starting at 1.
    public let version: Int
    /// The rest of the file name, without the extension (`initial`).
    public let name: String
    /// The SQL script. It runs inside a transaction that the migrator opens, so it must not
    /// contain `BEGIN`/`COMMIT` or pragmas that cannot run in a transaction (`journal_mode`).
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// The schema's history: an ordered, gap-free list of migrations, and the code that brings a
/// database up to date with it.
///
/// **Where the SQL lives.** The source of truth is `migrations/*.sql` at the package root.
/// SwiftPM packages no files from outside a target's folder, so `scripts/embed-migrations`
/// copies them into `Migrations+Embedded.swift` as string literals, and ``embedded`` is built
/// from that copy. `MigrationsTests` reads `migrations/` at test time and fails when the copy is
/// stale. The binary therefore carries its schema and needs no files at run time.
///
/// **Where the version lives.** The applied version is `PRAGMA user_version`, a 32-bit integer
/// in the database header. Setting it is transactional, so it is written in the same transaction
/// as the migration's SQL: a crash leaves either the old schema and old version or the new ones.
/// It can be read without knowing the schema (and with the `sqlite3` shell). What it cannot hold
/// is history (names, times); the SQL files and version control have that. The header's
/// `application_id` is set to ``applicationID`` so that a Vellum database is recognisable and
/// someone else's SQLite file is refused instead of "migrated".
public struct Migrations: Sendable {
    /// The migrations, sorted by version: versions 1, 2, … with no gaps.
    public let all: [Migration]

    /// `PRAGMA application_id` of a Vellum database: "VELM" in ASCII.
    public static let applicationID: Int32 = 0x5645_4C4D

    /// Checks the numbering: versions must run 1, 2, 3, … without gaps or duplicates (in any
    /// order; they are sorted here).
    public init(_ migrations: [Migration]) throws {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (offset, migration) in sorted.enumerated() {
            let expected = offset + 1
            if offset > 0, sorted[offset - 1].version == migration.version {
                throw MigrationError.duplicateVersion(
                    migration.version, names: [sorted[offset - 1].name, migration.name])
            }
            if migration.version != expected {
                throw MigrationError.gapInVersions(expected: expected, found: migration.version)
            }
        }
        self.all = sorted
    }

    /// The version a database has after all of these migrations (0 when there are none).
    public var latestVersion: Int { all.last?.version ?? 0 }

    /// The migrations in `Migrations+Embedded.swift`, generated from `migrations/*.sql`.
    public static let embedded: Migrations = {
        let migrations = embeddedSources.map {
            Migration(version: $0.version, name: $0.name, sql: $0.sql)
        }
        do {
            return try Migrations(migrations)
        } catch {
            // The generator refuses such numbering, so this means a hand edit.
            fatalError("Migrations+Embedded.swift is invalid (\(error)); run scripts/embed-migrations")
        }
    }()
}

/// The outcome of ``Migrations/apply(to:)``.
public struct MigrationResult: Sendable, Equatable {
    /// The database's schema version before.
    public let fromVersion: Int
    /// The database's schema version after.
    public let toVersion: Int
    /// `true` when nothing needed to be applied.
    public var wasCurrent: Bool { fromVersion == toVersion }
}
