import CSQLite

extension SQLiteConnection {
    /// How a transaction takes its locks.
    public enum TransactionKind: Sendable {
        /// `BEGIN IMMEDIATE`: takes the write lock at the start, so the transaction can never
        /// fail half-way with `SQLITE_BUSY` when it first writes. Use it for every write.
        case immediate
        /// `BEGIN DEFERRED`: takes no lock until the first read, then keeps that snapshot until
        /// it ends. Use it on a reader to make several queries see one consistent tree.
        case deferred
    }

    /// Runs `body` inside a transaction: commits when it returns, rolls back when it throws
    /// (and rethrows its error).
    ///
    /// The write is durable when this returns only if the connection runs with
    /// `synchronous=FULL`, as the writer from ``openWriter(path:configuration:migrations:)``
    /// does. Transactions do not nest: calling this inside another transaction throws
    /// `SQLITE_MISUSE` before touching the database.
    ///
    /// If `COMMIT` itself fails (a full disk, an I/O error), the transaction is rolled back when
    /// SQLite left it open, and the commit's error is thrown: nothing of `body` is kept.
    @discardableResult
    public func transaction<Result>(
        _ kind: TransactionKind = .immediate,
        _ body: () throws -> Result
    ) throws -> Result {
        guard isAutocommit else {
            throw SQLiteError(
                resultCode: SQLITE_MISUSE,
                message: "transaction { } was called inside another transaction; transactions "
                    + "do not nest, so do all the work in the outer one",
                path: path)
        }
        switch kind {
        case .immediate: try execute("BEGIN IMMEDIATE")
        case .deferred: try execute("BEGIN DEFERRED")
        }
        let result: Result
        do {
            result = try body()
            try execute("COMMIT")
        } catch {
            rollbackIfOpen()
            throw error
        }
        return result
    }

    /// Rolls back the open transaction, if any. Errors are ignored: after a failed commit or a
    /// thrown body there is nothing better to do, and SQLite rolls back on its own when a
    /// rollback cannot run (the journal/WAL is the source of truth on the next open).
    func rollbackIfOpen() {
        guard !isAutocommit else { return }
        try? execute("ROLLBACK")
    }
}
