import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import VellumStorage
import VellumSync

/// One PostgreSQL connection for synchronous callers (the storage protocols are synchronous,
/// like SQLite's API): each query is sent through postgres-nio and waited for on the caller's
/// thread. The connection's I/O runs on an event loop of its own group, never on a caller's
/// thread, so a caller on Swift's cooperative pool blocks for the round trip but cannot
/// deadlock the pool.
///
/// Used by one thread at a time (the writer, the lease keeper, or a pool borrower). A
/// connection the server closed (restart, failover of a managed database) is replaced on the
/// next query; the query that saw it close fails, and nothing is retried behind the caller's back.
final class PostgresSession {
    /// One event loop for every PostgreSQL connection: loopback and LAN round trips need no more,
    /// and keeping it apart from the HTTP server's loop lets request handlers wait on it.
    static let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    let location: PostgresLocation
    let logger: Logger
    private var connection: PostgresConnection?
    /// A statement run on every new connection before its first query (session settings).
    var onReconnect: String?
    private static let nextID = Locked<Int>(0)

    init(location: PostgresLocation, logger: Logger) {
        self.location = location
        self.logger = logger
    }

    deinit { try? connection?.close().wait() }

    /// Between BEGIN and COMMIT/ROLLBACK (`transaction`): a lost connection then fails every
    /// later statement instead of being replaced, since a new connection would run them outside
    /// the transaction — unfenced, each committing on its own.
    private var inTransaction = false

    /// The open connection, connecting first if there is none (never inside a transaction).
    func open() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        if inTransaction {
            throw PostgresFailure(sqlState: "08006", description: "PostgreSQL: the connection closed inside a transaction, "
                                  + "which the server rolled back (idle_in_transaction_session_timeout, restart or network)")
        }
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch location.tls {
            case .disable: tls = .disable
            case .prefer:
                // As libpq's `prefer`: encrypted when the server offers it, certificate unchecked.
                var configuration = TLSConfiguration.makeClientConfiguration()
                configuration.certificateVerification = .none
                tls = .prefer(try NIOSSLContext(configuration: configuration))
            case .require:
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw PostgresStoreError.cannotConnect(location: location.description, reason: "TLS setup failed: \(error)")
        }
        var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        let id = Self.nextID.withLock { $0 += 1; return $0 }
        do {
            let opened = try PostgresConnection.connect(on: Self.eventLoops.next(), configuration: configuration, id: id,
                                                        logger: logger).wait()
            if let onReconnect {
                _ = try opened.query(PostgresQuery(unsafeSQL: onReconnect), logger: logger).wait()
            }
            connection = opened
            return opened
        } catch {
            throw PostgresStoreError.cannotConnect(location: location.description, reason: describe(error))
        }
    }

    /// Runs `query` and returns its rows. Failures become `StorageError.backend` with the
    /// server's SQLSTATE and message (kept in `PostgresFailure` for callers that branch on it).
    @discardableResult
    func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try pipeline([query])[0]
    }

    /// Sends `queries` back to back without waiting for each answer, then collects them in
    /// order: one wait instead of one per statement. Throws the first failure; after a failure
    /// inside a transaction the later statements fail too, and the caller rolls back.
    func pipeline(_ queries: [PostgresQuery]) throws -> [PostgresQueryResult] {
        let connection = try open()
        let futures = queries.map { connection.query($0, logger: logger) }
        var results: [PostgresQueryResult] = []
        results.reserveCapacity(futures.count)
        var failure: (any Error)?
        for future in futures {
            do {
                results.append(try future.wait())
            } catch {
                if failure == nil { failure = error }
            }
        }
        if let failure { throw PostgresFailure(failure) }
        return results
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back if it throws; `first` is sent in the
    /// same round trip as BEGIN and its result handed to `body`.
    @discardableResult
    func transaction<T>(first: PostgresQuery? = nil, _ body: (PostgresQueryResult?) throws -> T) throws -> T {
        let opened = try pipeline(["BEGIN"] + (first.map { [$0] } ?? []))
        inTransaction = true
        defer { inTransaction = false }
        do {
            let result = try body(opened.count > 1 ? opened[1] : nil)
            try run("COMMIT")
            return result
        } catch {
            if let connection, !connection.isClosed { _ = try? connection.query("ROLLBACK", logger: logger).wait() }
            throw error
        }
    }

    /// Closes the connection (the next query opens a new one).
    func close() {
        try? connection?.close().wait()
        connection = nil
    }
}

/// A failed PostgreSQL statement: its SQLSTATE (when the server sent one) and a description.
/// Converts to `StorageError.backend` at the store's boundary.
struct PostgresFailure: Error, CustomStringConvertible {
    let sqlState: String?
    let description: String

    init(sqlState: String?, description: String) {
        self.sqlState = sqlState
        self.description = description
    }

    init(_ error: any Error) {
        if let failure = error as? PostgresFailure {
            self = failure
        } else {
            sqlState = VellumPostgres.sqlState(error)
            description = "PostgreSQL: " + describe(error)
        }
    }

    /// 40001 serialization failure, 40P01 deadlock, 23505 unique violation, 42P07 duplicate table:
    /// what nodes racing through the same first-start step can see, and retry.
    var isRace: Bool { ["40001", "40P01", "23505", "42P07", "42710"].contains(sqlState ?? "") }

    var storageError: StorageError { .backend(description) }
}

/// Runs `body`, turning PostgreSQL failures and connection errors into the
/// `StorageError.backend` the storage protocols promise (other errors pass unchanged).
func storageErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let failure as PostgresFailure {
        throw failure.storageError
    } catch let error as PostgresStoreError {
        throw StorageError.backend(error.description)
    }
}
