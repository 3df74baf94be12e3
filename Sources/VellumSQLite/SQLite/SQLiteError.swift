import CSQLite

/// An error reported by SQLite, or by this wrapper when it refuses a call SQLite would misuse.
///
/// It carries SQLite's primary result code (`SQLITE_CONSTRAINT`, `SQLITE_BUSY`, …), the extended
/// result code (`SQLITE_CONSTRAINT_PRIMARYKEY`, …), the connection's `sqlite3_errmsg` text at the
/// moment of failure, and the SQL that failed. ``description`` says what happened and, for the
/// codes where the cause is usually obvious, what to do about it.
///
/// Errors found by the wrapper itself (a `UInt64` too large for SQLite's signed integers, a
/// closed connection, two statements passed where one is expected) use the closest SQLite code
/// (`SQLITE_MISMATCH`, `SQLITE_MISUSE`) and say so in ``message``.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The primary result code, for example `SQLITE_CONSTRAINT` (19).
    public let resultCode: Int32
    /// The extended result code, for example `SQLITE_CONSTRAINT_PRIMARYKEY` (1555). Equal to
    /// ``resultCode`` when SQLite has nothing more specific to say.
    public let extendedResultCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), or the wrapper's explanation.
    public let message: String
    /// The SQL that failed, when a statement or script was involved.
    public let sql: String?
    /// The database file, when known.
    public let path: String?

    /// Makes an error from explicit parts; used for errors the wrapper detects itself.
    public init(
        resultCode: Int32,
        extendedResultCode: Int32? = nil,
        message: String,
        sql: String? = nil,
        path: String? = nil
    ) {
        self.resultCode = resultCode & 0xFF
        self.extendedResultCode = extendedResultCode ?? resultCode
        self.message = message
        self.sql = sql
        self.path = path
    }

    /// Reads the error state of `db` right after a call returned `code`.
    init(db: OpaquePointer?, code: Int32, sql: String?, path: String?) {
        let extended = db.map { sqlite3_extended_errcode($0) } ?? code
        // `sqlite3_extended_errcode` can lag behind when the failing call did not touch the
        // connection's error state (e.g. a bind MISUSE); trust the returned code in that case.
        let useExtended = extended & 0xFF == code & 0xFF
        let text = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.init(
            resultCode: code,
            extendedResultCode: useExtended ? extended : code,
            message: text,
            sql: sql,
            path: path
        )
    }

    /// `true` for `SQLITE_CONSTRAINT` (unique, primary key, `CHECK`, `NOT NULL`, foreign key).
    public var isConstraintViolation: Bool { resultCode == SQLITE_CONSTRAINT }

    /// `true` for `SQLITE_BUSY` and `SQLITE_LOCKED`: another connection holds a lock.
    public var isBusy: Bool { resultCode == SQLITE_BUSY || resultCode == SQLITE_LOCKED }

    public var description: String {
        var text = "SQLite error \(SQLiteError.name(of: resultCode))"
        if extendedResultCode != resultCode {
            text += " (extended code \(extendedResultCode))"
        }
        text += ": \(message)"
        if let path { text += " [database: \(path)]" }
        if let sql { text += " [SQL: \(SQLiteError.abbreviated(sql))]" }
        if let hint = SQLiteError.hint(for: resultCode) { text += ". \(hint)" }
        return text
    }

    // MARK: - Wording

    private static func abbreviated(_ sql: String) -> String {
        let oneLine = sql.split(whereSeparator: \.isNewline)
            .map { $0.trimmingPrefix(while: \.isWhitespace) }
            .joined(separator: " ")
        return oneLine.count <= 200 ? oneLine : String(oneLine.prefix(200)) + "…"
    }

    /// What to do, for the codes where the cause is usually clear.
    private static func hint(for code: Int32) -> String? {
        switch code {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "Another connection holds the lock; make sure only one Vellum process writes "
                + "to this database, or raise the busy timeout"
        case SQLITE_READONLY:
            return "The connection or the file is read-only: check the file's permissions, and "
                + "that the write did not go through a reader connection"
        case SQLITE_CANTOPEN:
            return "Check that the directory exists and is writable by this process"
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return "The file is damaged or is not a SQLite database; restore it from a backup"
        case SQLITE_FULL:
            return "The disk is full; free space and retry"
        case SQLITE_IOERR:
            return "The operating system reported an I/O error; check the disk and its free space"
        case SQLITE_MISUSE:
            return "This is a bug in the caller, not a problem with the database"
        default:
            return nil
        }
    }

    /// The C name of a primary result code, for messages.
    static func name(of code: Int32) -> String {
        let names: [Int32: String] = [
            SQLITE_ERROR: "SQLITE_ERROR", SQLITE_INTERNAL: "SQLITE_INTERNAL",
            SQLITE_PERM: "SQLITE_PERM", SQLITE_ABORT: "SQLITE_ABORT", SQLITE_BUSY: "SQLITE_BUSY",
            SQLITE_LOCKED: "SQLITE_LOCKED", SQLITE_NOMEM: "SQLITE_NOMEM",
            SQLITE_READONLY: "SQLITE_READONLY", SQLITE_INTERRUPT: "SQLITE_INTERRUPT",
            SQLITE_IOERR: "SQLITE_IOERR", SQLITE_CORRUPT: "SQLITE_CORRUPT",
            SQLITE_NOTFOUND: "SQLITE_NOTFOUND", SQLITE_FULL: "SQLITE_FULL",
            SQLITE_CANTOPEN: "SQLITE_CANTOPEN", SQLITE_PROTOCOL: "SQLITE_PROTOCOL",
            SQLITE_SCHEMA: "SQLITE_SCHEMA", SQLITE_TOOBIG: "SQLITE_TOOBIG",
            SQLITE_CONSTRAINT: "SQLITE_CONSTRAINT", SQLITE_MISMATCH: "SQLITE_MISMATCH",
            SQLITE_MISUSE: "SQLITE_MISUSE", SQLITE_NOLFS: "SQLITE_NOLFS",
            SQLITE_AUTH: "SQLITE_AUTH", SQLITE_RANGE: "SQLITE_RANGE",
            SQLITE_NOTADB: "SQLITE_NOTADB",
        ]
        return names[code] ?? "code \(code)"
    }
}
