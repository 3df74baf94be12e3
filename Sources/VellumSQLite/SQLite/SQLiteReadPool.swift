import Foundation
import VellumSync

/// A fixed set of read-only connections, lent out one caller at a time.
///
/// ``withConnection(_:)`` is safe to call from any number of threads or tasks at once. Each call
/// gets a connection that nobody else holds until the closure returns; that exclusivity is what
/// makes sharing ``SQLiteConnection`` (opened with `SQLITE_OPEN_NOMUTEX`) across threads safe.
///
/// **When every connection is busy, the caller blocks** (it waits on a condition variable) until
/// one is returned; waiting is not async, and not first-come-first-served. That is deliberate and
/// cheap here: the closure is synchronous, so a holder never suspends while holding a connection,
/// it only runs a few queries on its thread. With the default size (at least the number of CPU
/// cores), callers on Swift's cooperative thread pool, which has one thread per core, can never
/// all be waiting: there are never more concurrent holders than threads. Callers on other
/// threads may wait briefly.
///
/// In WAL mode every reader sees the database as of the last commit when its read began, never
/// a half-written batch; wrap several queries in
/// `connection.transaction(.deferred) { … }` to read them all from one snapshot.
///
/// The lending itself is `LendingPool` (VellumSync), shared with the PostgreSQL store's readers.
public final class SQLiteReadPool: Sendable {
    /// The number of connections.
    public let size: Int

    private let pool: LendingPool<SQLiteConnection>

    /// The default size: the number of CPU cores, and at least 4.
    public static var defaultSize: Int {
        max(4, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Opens `size` read-only connections to the database at `path`.
    ///
    /// The writer must have opened the database first (see
    /// ``SQLiteConnection/openReader(path:configuration:migrations:)``).
    public init(
        path: String,
        size: Int = SQLiteReadPool.defaultSize,
        configuration: SQLiteConfiguration = .default,
        migrations: Migrations = .embedded
    ) throws {
        precondition(size > 0, "a read pool needs at least one connection")
        var connections: [SQLiteConnection] = []
        for _ in 0..<size {
            connections.append(
                try SQLiteConnection.openReader(
                    path: path, configuration: configuration, migrations: migrations))
        }
        self.size = size
        self.pool = LendingPool(connections)
    }

    /// Runs `body` with a connection that no other caller holds until `body` returns, blocking
    /// while all connections are in use.
    ///
    /// - Note: do not let the connection escape `body`, and do not call `withConnection` again
    ///   inside `body`: with every connection held that way, the pool would deadlock.
    public func withConnection<Result>(
        _ body: (SQLiteConnection) throws -> Result
    ) throws -> Result {
        // A transaction left open would pin an old snapshot and stall WAL checkpoints.
        try pool.withResource(body, onReturn: { $0.rollbackIfOpen() })
    }
}
