import CSQLite

/// A prepared statement: bind values, step through rows, read columns.
///
/// Obtain one from ``SQLiteConnection/withStatement(_:_:)``; it belongs to that connection and
/// to the caller only for the duration of the closure. Parameters are numbered from **1**, as in
/// SQLite's C API (`?` or `?NNN` in the SQL); result columns are numbered from **0**.
///
/// ```swift
/// try connection.withStatement("SELECT data FROM tiles WHERE level = ? AND idx = ?") { s in
///     try s.bind(level, at: 1)
///     try s.bind(index, at: 2)
///     return try s.step() ? s.blob(at: 0) : nil
/// }
/// ```
///
/// Not `Sendable`: a statement is used on the thread that holds its connection.
public final class SQLiteStatement {
    /// The SQL this statement was prepared from (the cache key).
    public let sql: String

    /// The C handle, owned by this object and finalized in `deinit`.
    let handle: OpaquePointer
    /// The connection's handle, for error messages. `sqlite3_close_v2` keeps it valid for as
    /// long as this statement is not finalized.
    private let db: OpaquePointer
    /// The database file, for error messages.
    private let path: String

    /// Prepares `sql`, which must hold exactly one statement.
    init(connection: SQLiteConnection, db: OpaquePointer, sql: String) throws {
        var statement: OpaquePointer?
        var trailingSQL = ""
        let code = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(
                db, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if let tail { trailingSQL = String(cString: tail) }
            return code
        }
        guard code == SQLITE_OK, let statement else {
            if code == SQLITE_OK {
                // Only whitespace or comments: nothing to run.
                throw SQLiteError(
                    resultCode: SQLITE_MISUSE, message: "the SQL holds no statement", sql: sql,
                    path: connection.path)
            }
            throw connection.error(code, sql: sql)
        }
        self.handle = statement
        self.db = db
        self.sql = sql
        self.path = connection.path
        try Self.refuseSecondStatement(trailingSQL, db: db, sql: sql, path: path)
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// `sqlite3_prepare` compiles only the first statement; anything after it would be ignored
    /// without a word. Refuse it unless it is only whitespace and comments.
    private static func refuseSecondStatement(
        _ trailing: String, db: OpaquePointer, sql: String, path: String
    ) throws {
        guard trailing.contains(where: { !$0.isWhitespace }) else { return }
        var extra: OpaquePointer?
        let code = sqlite3_prepare_v2(db, trailing, -1, &extra, nil)
        sqlite3_finalize(extra)
        if code == SQLITE_OK, extra == nil { return }
        throw SQLiteError(
            resultCode: SQLITE_MISUSE,
            message: "withStatement takes exactly one SQL statement, but more follow the first; "
                + "use execute(_:) for scripts",
            sql: sql, path: path)
    }

    /// An error for `code`, read from the connection's error state.
    func error(_ code: Int32) -> SQLiteError {
        SQLiteError(db: db, code: code, sql: sql, path: path)
    }

    /// An error the wrapper detected itself.
    func misuse(_ code: Int32, _ message: String) -> SQLiteError {
        SQLiteError(resultCode: code, message: message, sql: sql, path: path)
    }

    // MARK: - Stepping

    /// Advances to the next row: `true` when a row is ready to read, `false` when the statement
    /// has finished. Errors (constraint violations, `SQLITE_BUSY`, …) are thrown.
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(code)
        }
    }

    /// Steps until the statement finishes, ignoring any rows. For `INSERT`, `UPDATE`, `DELETE`.
    public func run() throws {
        while try step() {}
    }

    /// Calls `body` once per result row; read the row's columns from the statement passed in.
    public func forEachRow(_ body: (SQLiteStatement) throws -> Void) throws {
        while try step() { try body(self) }
    }

    /// The result rows, each turned into a value by `transform`.
    public func mapRows<Element>(
        _ transform: (SQLiteStatement) throws -> Element
    ) throws -> [Element] {
        var rows: [Element] = []
        while try step() { rows.append(try transform(self)) }
        return rows
    }

    /// Rewinds the statement so it can run again, keeping its bindings. Throws the error of the
    /// last step if that step failed.
    public func reset() throws {
        let code = sqlite3_reset(handle)
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// Rewinds the statement and sets every parameter back to `NULL`; used by the connection's
    /// cache when the statement is returned. The last step's error, if any, was already thrown.
    func resetAndClearBindings() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// The number of `?` parameters in the SQL.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }
}
