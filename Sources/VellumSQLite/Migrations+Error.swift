/// Why the schema could not be brought up to date, or why a database was refused.
public enum MigrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Two migrations share a version number.
    case duplicateVersion(Int, names: [String])
    /// The versions do not run 1, 2, 3, …: `expected` is the next number, `found` the one given.
    case gapInVersions(expected: Int, found: Int)
    /// The database was migrated by a newer Vellum than this binary.
    case newerDatabase(path: String, databaseVersion: Int, latestKnownVersion: Int)
    /// A read-only connection found a database that the writer has not migrated yet.
    case olderDatabase(path: String, databaseVersion: Int, latestKnownVersion: Int)
    /// The file is a SQLite database that belongs to something else.
    case notAVellumDatabase(path: String, applicationID: Int32)
    /// A migration's SQL failed; it was rolled back and the database kept its old version.
    case migrationFailed(version: Int, name: String, underlying: SQLiteError)

    public var description: String {
        switch self {
        case .duplicateVersion(let version, let names):
            return "migrations \(names.joined(separator: " and ")) both have version \(version); "
                + "give each migration file its own number"
        case .gapInVersions(let expected, let found):
            return "migration versions must run 1, 2, 3, … without gaps: expected version "
                + "\(expected), found \(found)"
        case .newerDatabase(let path, let databaseVersion, let latestKnownVersion):
            return "the database at \(path) has schema version \(databaseVersion), but this "
                + "build of Vellum knows migrations only up to version \(latestKnownVersion); "
                + "refusing to open it, since an older binary could misread or damage it. Run a "
                + "Vellum release that includes migration \(databaseVersion) (schema downgrades "
                + "are not supported)"
        case .olderDatabase(let path, let databaseVersion, let latestKnownVersion):
            return "the database at \(path) has schema version \(databaseVersion), but this "
                + "build of Vellum expects version \(latestKnownVersion); open it with the "
                + "writer first, which applies the missing migrations"
        case .notAVellumDatabase(let path, let applicationID):
            let id = applicationID == 0 ? "none" : "0x" + String(UInt32(bitPattern: applicationID), radix: 16)
            return "the file at \(path) is a SQLite database that Vellum did not create "
                + "(application_id \(id), and it already has a schema); point Vellum at an "
                + "empty or new file"
        case .migrationFailed(let version, let name, let underlying):
            return "migration \(version) (\(name)) failed and was rolled back, the database is "
                + "unchanged: \(underlying)"
        }
    }
}
