import CSQLite

/// One connection to a SQLite database file: a thin owner of a `sqlite3 *` handle.
///
/// **Ownership.** A connection is used by one thread or actor at a time. It is opened with
/// `SQLITE_OPEN_NOMUTEX` (SQLite's "multi-thread" mode), so SQLite does not lock the connection
/// itself; our discipline does instead: the single writer connection belongs to the sequencer
/// actor, and each reader belongs to ``SQLiteReadPool``, which hands it to exactly one caller at
/// a time. Moving a connection between threads *between* uses is allowed by SQLite in this mode;
/// using it from two threads *at once* is undefined behaviour. That is why the class is marked
/// `@unchecked Sendable`: the compiler cannot see the discipline, but every path that shares a
/// connection (the actor, the pool's checkout) serializes access to it.
///
/// **Statements.** ``withStatement(_:_:)`` prepares each distinct SQL string once and keeps it
/// in a per-connection cache; on return the statement is reset and its bindings cleared, so the
/// next use starts clean and no read transaction is left open. Pass constant SQL with `?`
/// parameters; values go in bindings.
///
/// **Closing.** The handle is closed by ``close()`` or when the last reference goes away. Close
/// uses `sqlite3_close_v2`, so a statement that escaped its closure cannot dangle: SQLite keeps
/// the connection alive until that statement is finalized.
public final class SQLiteConnection: @unchecked Sendable {
    /// How the file is opened.
    public enum Mode: Sendable {
        /// Read and write; create the file if it does not exist.
        case readWriteCreate
        /// Read and write; the file must exist.
        case readWrite
        /// Read only; the file must exist. Writes fail with `SQLITE_READONLY`.
        case readOnly
    }

    /// The database file.
    public let path: String
    /// The mode the file was opened in.
    public let mode: Mode

    /// The C handle; `nil` once closed. Owned by this object.
    private(set) var handle: OpaquePointer?

    /// Prepared statements by SQL text. Owned by this connection; a statement is removed while
    /// it is checked out by ``withStatement(_:_:)``, so nested use of the same SQL gets its own.
    private var statementCache: [String: SQLiteStatement] = [:]

    /// Cap on cached statements; past it, statements are finalized after use. The log uses a
    /// fixed, small set of SQL strings, so the cap is a guard against callers that build SQL
    /// dynamically, not a tuning knob.
    static let statementCacheLimit = 128

    /// Opens (and in ``Mode/readWriteCreate`` creates) the database at `path`.
    ///
    /// This applies no pragmas; ``openWriter(path:configuration:migrations:)`` and
    /// ``openReader(path:configuration:migrations:)`` open connections configured for the log.
    public init(path: String, mode: Mode = .readWriteCreate) throws {
        guard sqlite3_threadsafe() != 0 else {
            throw SQLiteError(
                resultCode: SQLITE_MISUSE,
                message: "the system libsqlite3 was built with SQLITE_THREADSAFE=0; Vellum needs "
                    + "a thread-safe build (the default in every distribution package)",
                path: path)
        }
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError(db: db, code: code, sql: nil, path: path)
            sqlite3_close_v2(db)  // SQLite allocates a handle even when open fails.
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        self.handle = db
        self.path = path
        self.mode = mode
    }

    deinit {
        statementCache.removeAll()  // finalizes the statements
        if let handle { sqlite3_close_v2(handle) }
    }

    /// Finalizes the cached statements and closes the handle. Calling it again does nothing;
    /// any other use after closing throws `SQLITE_MISUSE`.
    public func close() throws {
        guard let db = handle else { return }
        statementCache.removeAll()
        let code = sqlite3_close_v2(db)
        handle = nil
        guard code == SQLITE_OK else {
            throw SQLiteError(resultCode: code, message: "closing the database failed", path: path)
        }
    }

    /// Whether ``close()`` has been called.
    public var isClosed: Bool { handle == nil }

    /// The open handle, or a `SQLITE_MISUSE` error after ``close()``.
    func openHandle(sql: String? = nil) throws -> OpaquePointer {
        guard let handle else {
            throw SQLiteError(
                resultCode: SQLITE_MISUSE, message: "the connection is closed", sql: sql,
                path: path)
        }
        return handle
    }

    /// An error for `code`, read from this connection's error state.
    func error(_ code: Int32, sql: String?) -> SQLiteError {
        SQLiteError(db: handle, code: code, sql: sql, path: path)
    }

    // MARK: - Running SQL

    /// Runs a script of zero or more `;`-separated statements, discarding any rows.
    ///
    /// Use it for DDL, pragmas and transaction control. For statements with values use
    /// ``withStatement(_:_:)`` and bindings; never build SQL from data.
    public func execute(_ sql: String) throws {
        let db = try openHandle(sql: sql)
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(db, sql, nil, nil, &errorMessage)
        defer { sqlite3_free(errorMessage) }
        guard code == SQLITE_OK else { throw error(code, sql: sql) }
    }

    /// Runs `body` with the prepared statement for `sql`, preparing it on first use and taking
    /// it from the cache afterwards.
    ///
    /// On return (normal or thrown) the statement is reset and its bindings are cleared: the
    /// next use starts with every parameter `NULL`, SQLite no longer points at any buffer bound
    /// without a copy, and a partially read result does not keep a read transaction open.
    ///
    /// - Parameter sql: exactly one SQL statement; a second one is refused rather than silently
    ///   ignored (use ``execute(_:)`` for scripts).
    /// - Note: do not let the statement escape `body`.
    public func withStatement<Result>(
        _ sql: String,
        _ body: (SQLiteStatement) throws -> Result
    ) throws -> Result {
        let statement = try checkOutStatement(sql)
        defer { checkIn(statement) }
        return try body(statement)
    }

    /// Runs one statement with no result rows to completion, binding `bind` first.
    ///
    /// A shorthand for `withStatement(sql) { try bind($0); try $0.run() }`.
    public func run(_ sql: String, bind: (SQLiteStatement) throws -> Void = { _ in }) throws {
        try withStatement(sql) { statement in
            try bind(statement)
            try statement.run()
        }
    }

    private func checkOutStatement(_ sql: String) throws -> SQLiteStatement {
        if let cached = statementCache.removeValue(forKey: sql) { return cached }
        return try SQLiteStatement(connection: self, db: openHandle(sql: sql), sql: sql)
    }

    private func checkIn(_ statement: SQLiteStatement) {
        statement.resetAndClearBindings()
        guard handle != nil, statementCache[statement.sql] == nil,
            statementCache.count < Self.statementCacheLimit
        else { return }  // dropping the last reference finalizes it
        statementCache[statement.sql] = statement
    }

    /// The number of statements currently cached; for tests.
    var cachedStatementCount: Int { statementCache.count }

    // MARK: - Connection state

    /// The rowid of the most recent successful `INSERT` on this connection.
    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Rows changed by the most recent `INSERT`, `UPDATE` or `DELETE` on this connection.
    public var changes: Int {
        handle.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// `false` while a transaction is open on this connection.
    public var isAutocommit: Bool {
        handle.map { sqlite3_get_autocommit($0) != 0 } ?? true
    }

    /// How long a statement waits for another connection's lock before failing with
    /// `SQLITE_BUSY`. In WAL mode readers never block the writer or each other, so this
    /// matters only when a second writer (another process, a backup tool) holds the lock.
    public func setBusyTimeout(milliseconds: Int) throws {
        let db = try openHandle()
        let code = sqlite3_busy_timeout(db, Int32(clamping: milliseconds))
        guard code == SQLITE_OK else { throw error(code, sql: nil) }
    }

    /// The first column of the first row of `PRAGMA <name>`, as text; `nil` if no row.
    public func pragma(_ name: String) throws -> String? {
        try withStatement("PRAGMA \(name)") { statement in
            try statement.step() ? statement.text(at: 0) : nil
        }
    }

    /// The database's page size in bytes (`PRAGMA page_size`).
    public func pageSize() throws -> Int {
        guard let text = try pragma("page_size"), let size = Int(text), size > 0 else {
            throw SQLiteError(resultCode: SQLITE_ERROR, message: "PRAGMA page_size returned no size", path: path)
        }
        return size
    }
}
