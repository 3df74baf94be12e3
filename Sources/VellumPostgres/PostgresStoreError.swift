import PostgresNIO

/// Why the PostgreSQL store could not be opened. (Failures after that are `StorageError`s.)
public enum PostgresStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `--store` / `VELLUM_STORE` text is not a usable PostgreSQL location.
    case invalidLocation(String, String)
    /// The server could not be reached or refused the connection.
    case cannotConnect(location: String, reason: String)
    /// The database's schema was written by a newer Vellum.
    case newerSchema(databaseVersion: Int, latestKnownVersion: Int)
    /// A migration failed; it was rolled back and the schema kept its old version.
    case migrationFailed(version: Int, name: String, reason: String)

    public var description: String {
        switch self {
        case .invalidLocation(let text, let reason):
            return "cannot use \(text) as a PostgreSQL store: \(reason)"
        case .cannotConnect(let location, let reason):
            return "cannot connect to \(location): \(reason); check that the server runs and the role and database exist"
        case .newerSchema(let databaseVersion, let latestKnownVersion):
            return "the database has Vellum schema version \(databaseVersion), but this build knows migrations only up to "
                + "\(latestKnownVersion); refusing to use it, since an older binary could misread or damage it. Run a "
                + "Vellum release that includes migration \(databaseVersion)"
        case .migrationFailed(let version, let name, let reason):
            return "PostgreSQL migration \(version) (\(name)) failed and was rolled back: \(reason)"
        }
    }
}

/// A PostgreSQL error in the server's own words: its SQLSTATE and message when it sent one.
func describe(_ error: any Error) -> String {
    if let error = error as? PSQLError {
        if let info = error.serverInfo, let message = info[.message] {
            return "\(info[.sqlState] ?? "?????"): \(message)" + (info[.detail].map { " (\($0))" } ?? "")
        }
        return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }
    return "\(error)"
}

/// The SQLSTATE of a PostgreSQL error, if the server sent one.
func sqlState(_ error: any Error) -> String? {
    (error as? PSQLError)?.serverInfo?[.sqlState]
}
