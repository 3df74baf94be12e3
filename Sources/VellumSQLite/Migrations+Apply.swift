import CSQLite

extension Migrations {
    /// Brings the database up to ``latestVersion``: each missing migration runs in its own
    /// `BEGIN IMMEDIATE` transaction together with the `user_version` update that records it.
    ///
    /// Refuses, before changing anything:
    /// - a database whose version is newer than this binary knows
    ///   (``MigrationError/newerDatabase(path:databaseVersion:latestKnownVersion:)``): an older
    ///   binary could misread, or damage, data written under a newer schema;
    /// - a SQLite file that is not a Vellum database
    ///   (``MigrationError/notAVellumDatabase(path:applicationID:)``).
    ///
    /// Re-running it on a current database changes nothing. A migration that fails is rolled
    /// back whole, leaving the database at the previous version.
    @discardableResult
    public func apply(to connection: SQLiteConnection) throws -> MigrationResult {
        let startVersion = try Self.schemaVersion(of: connection)
        try refuseNewer(startVersion, connection: connection)
        try refuseForeign(connection, version: startVersion)

        for migration in all where migration.version > startVersion {
            do {
                try connection.transaction(.immediate) {
                    // Another process may have migrated between our first read and our lock.
                    let current = try Self.schemaVersion(of: connection)
                    try refuseNewer(current, connection: connection)
                    guard current < migration.version else { return }
                    try connection.execute(migration.sql)
                    try connection.execute(
                        """
                        PRAGMA user_version = \(migration.version);
                        PRAGMA application_id = \(Self.applicationID);
                        """)
                }
            } catch let error as SQLiteError {
                throw MigrationError.migrationFailed(
                    version: migration.version, name: migration.name, underlying: error)
            }
        }
        return MigrationResult(
            fromVersion: startVersion, toVersion: try Self.schemaVersion(of: connection))
    }

    /// Checks, without changing anything, that the database is a Vellum database at exactly
    /// ``latestVersion``. Read-only connections call this: they cannot migrate, and reading a
    /// schema other than the one this binary was written for is not safe.
    public func checkCurrent(_ connection: SQLiteConnection) throws {
        let version = try Self.schemaVersion(of: connection)
        try refuseNewer(version, connection: connection)
        try refuseForeign(connection, version: version)
        guard version == latestVersion else {
            throw MigrationError.olderDatabase(
                path: connection.path, databaseVersion: version,
                latestKnownVersion: latestVersion)
        }
    }

    /// The applied schema version: `PRAGMA user_version` (0 for a new, empty database).
    public static func schemaVersion(of connection: SQLiteConnection) throws -> Int {
        Int(try connection.pragma("user_version") ?? "") ?? 0
    }

    private func refuseNewer(_ version: Int, connection: SQLiteConnection) throws {
        guard version <= latestVersion else {
            throw MigrationError.newerDatabase(
                path: connection.path, databaseVersion: version, latestKnownVersion: latestVersion)
        }
    }

    /// A Vellum database carries our application ID from its first migration on. Without it,
    /// only an empty file (no schema objects, version 0) is ours to initialise.
    private func refuseForeign(_ connection: SQLiteConnection, version: Int) throws {
        let applicationID = Int32(try connection.pragma("application_id") ?? "") ?? 0
        if applicationID == Self.applicationID { return }
        let objectCount = try connection.withStatement("SELECT count(*) FROM sqlite_schema") {
            try $0.step() ? $0.int64(at: 0) : 0
        }
        guard applicationID == 0, version == 0, objectCount == 0 else {
            throw MigrationError.notAVellumDatabase(
                path: connection.path, applicationID: applicationID)
        }
    }
}
