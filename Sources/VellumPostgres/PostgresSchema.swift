import Foundation
import PostgresNIO

/// The PostgreSQL schema's history: `migrations/postgres/NNNN_name.sql`, embedded by
/// `scripts/embed-migrations` (which also checks that the numbers run 1, 2, … without gaps),
/// applied in order and recorded in the one-row table `vellum_schema`.
///
/// Nodes that start together on an empty database must not both migrate: each takes the row
/// lock on `vellum_schema` (`SELECT … FOR UPDATE`) and applies what is missing in that same
/// transaction, so the second waits, then finds the work done. Creating `vellum_schema` itself
/// can race (two `CREATE TABLE IF NOT EXISTS` at once); the loser sees a unique violation and
/// tries again. No advisory locks: the same steps work on engines that speak PostgreSQL's
/// protocol without them.
public enum PostgresSchema {
    /// The version after every embedded migration.
    public static var latestVersion: Int { embeddedSources.last?.version ?? 0 }

    /// Brings the database up to `latestVersion`; returns the versions before and after.
    /// Refuses a database that a newer Vellum migrated (`PostgresStoreError.newerSchema`).
    @discardableResult
    static func migrate(_ session: PostgresSession) throws -> (from: Int, to: Int) {
        _ = try retryingRaces {
            try session.pipeline([
                "CREATE TABLE IF NOT EXISTS vellum_schema (id smallint PRIMARY KEY CHECK (id = 1), version integer NOT NULL)",
                "INSERT INTO vellum_schema VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
            ])
        }
        return try retryingRaces {
            try session.transaction { _ in
                let rows = try session.run("SELECT version FROM vellum_schema WHERE id = 1 FOR UPDATE")
                let start = Int(try rows.first?.decode(Int32.self) ?? 0)
                guard start <= latestVersion else {
                    throw PostgresStoreError.newerSchema(databaseVersion: start, latestKnownVersion: latestVersion)
                }
                for migration in embeddedSources where migration.version > start {
                    do {
                        for statement in statements(in: migration.sql) {
                            try session.run(PostgresQuery(unsafeSQL: statement))
                        }
                        try session.run("UPDATE vellum_schema SET version = \(Int32(migration.version)) WHERE id = 1")
                    } catch let failure as PostgresFailure {
                        throw PostgresStoreError.migrationFailed(version: migration.version, name: migration.name,
                                                                 reason: failure.description)
                    }
                }
                return (start, latestVersion)
            }
        }
    }

    /// The applied version (0 before the first migration), without changing anything.
    static func version(_ session: PostgresSession) throws -> Int {
        let exists = try session.run("SELECT to_regclass('vellum_schema') IS NOT NULL")
        guard try exists.first?.decode(Bool.self) == true else { return 0 }
        return Int(try session.run("SELECT version FROM vellum_schema WHERE id = 1").first?.decode(Int32.self) ?? 0)
    }

    /// Retries `body` a few times when it lost a race with another node doing the same first-start
    /// step (a unique violation on a catalog row, a serialization failure); other errors go up at once.
    static func retryingRaces<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do {
                return try body()
            } catch let failure as PostgresFailure where failure.isRace && attempt < 20 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
            }
        }
    }

    /// The statements of a migration script, split at semicolons outside quotes, quoted
    /// identifiers, `--` comments and `$$` bodies (postgres-nio sends each query as a prepared
    /// statement, which holds one statement). Empty ones are dropped.
    static func statements(in sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var quote: Character?        // ' or " while inside one
        var inComment = false
        var inDollar = false
        var previous: Character = " "
        for character in sql {
            if inComment {
                if character == "\n" { inComment = false; current.append(character) }
                previous = character
                continue
            }
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
            } else if inDollar {
                current.append(character)
                if character == "$" && previous == "$" { inDollar = false; previous = " "; continue }
            } else if character == "-" && previous == "-" {
                current.removeLast()
                inComment = true
            } else if character == "'" || character == "\"" {
                quote = character
                current.append(character)
            } else if character == "$" && previous == "$" {
                inDollar = true
                current.append(character)
                previous = " "
                continue
            } else if character == ";" {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        statements.append(current)
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
