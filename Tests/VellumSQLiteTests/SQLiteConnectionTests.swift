import CSQLite
import Foundation
import Testing

@testable import VellumSQLite

@Suite struct SQLiteConnectionTests {
    @Test func opensWritesClosesAndReopensInTemporaryDirectory() throws {
        try withDatabasePath { path in
            let writer = try SQLiteConnection(path: path)
            try writer.execute("CREATE TABLE t (x INTEGER NOT NULL); INSERT INTO t VALUES (42);")
            try writer.close()
            try writer.close()  // idempotent
            #expect(writer.isClosed)
            #expect(FileManager.default.fileExists(atPath: path))

            let reopened = try SQLiteConnection(path: path, mode: .readOnly)
            let value = try reopened.withStatement("SELECT x FROM t") {
                try $0.step() ? $0.int64(at: 0) : nil
            }
            #expect(value == 42)
        }
    }

    @Test func closedConnectionRefusesUse() throws {
        try withDatabasePath { path in
            let connection = try SQLiteConnection(path: path)
            try connection.close()
            let error = #expect(throws: SQLiteError.self) { try connection.execute("SELECT 1") }
            #expect(error?.resultCode == SQLITE_MISUSE)
            #expect(error?.message.contains("closed") == true)
        }
    }

    @Test func openingMissingFileReadOnlyNamesThePath() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("absent.db").path
            let error = #expect(throws: SQLiteError.self) {
                _ = try SQLiteConnection(path: path, mode: .readOnly)
            }
            #expect(error?.resultCode == SQLITE_CANTOPEN)
            #expect(error?.description.contains(path) == true)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func writerRunsInWALModeWithFullSynchronous() throws {
        try withDatabasePath { path in
            let writer = try SQLiteConnection.openWriter(path: path)
            #expect(try writer.pragma("journal_mode") == "wal")
            #expect(try writer.pragma("synchronous") == "2")  // 2 = FULL
            #expect(try writer.pragma("foreign_keys") == "1")
            #expect(try writer.pragma("busy_timeout") == "5000")
            #expect(try writer.pageSize() == 16384)
            #expect(try writer.pragma("wal_autocheckpoint") == "1024")  // 16 MiB of 16 KiB pages
            #expect(try writer.pragma("cache_size") == "-32768")
        }
    }

    /// The page size applies to new files only; an existing file keeps its own, and the WAL
    /// threshold is counted in pages of that size.
    @Test func aFileKeepsThePageSizeItWasCreatedWith() throws {
        try withDatabasePath { path in
            var small = SQLiteConfiguration()
            small.pageSizeBytes = 4096
            try SQLiteConnection.openWriter(path: path, configuration: small).close()
            let reopened = try SQLiteConnection.openWriter(path: path)
            #expect(try reopened.pageSize() == 4096)
            #expect(try reopened.pragma("wal_autocheckpoint") == "4096")  // 16 MiB of 4 KiB pages
        }
    }

    /// SQLite would ignore a page size that is not a power of two from 512 to 65536 and use its
    /// default; the writer refuses it, saying so, and creates no file.
    @Test func anInvalidPageSizeIsRefused() throws {
        #expect(SQLiteConfiguration.isValidPageSize(16384) && SQLiteConfiguration.isValidPageSize(512)
                && SQLiteConfiguration.isValidPageSize(65536))
        #expect(!SQLiteConfiguration.isValidPageSize(256) && !SQLiteConfiguration.isValidPageSize(12288)
                && !SQLiteConfiguration.isValidPageSize(131072))
        try withDatabasePath { path in
            var configuration = SQLiteConfiguration()
            configuration.pageSizeBytes = 1000
            let error = #expect(throws: SQLiteError.self) { try SQLiteConnection.openWriter(path: path, configuration: configuration) }
            #expect(error?.description.contains("page size 1000") == true)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func readerIsQueryOnlyAndMapsTheFile() throws {
        try withDatabasePath { path in
            _ = try SQLiteConnection.openWriter(path: path)
            var configuration = SQLiteConfiguration()
            configuration.readerMmapSizeBytes = 1 << 20
            let reader = try SQLiteConnection.openReader(path: path, configuration: configuration)
            #expect(reader.mode == .readOnly)
            #expect(try reader.pragma("query_only") == "1")
            #expect(try reader.pragma("mmap_size") == "1048576")
            #expect(try reader.pragma("cache_size") == "-16384")
            #expect(try reader.pragma("journal_mode") == "wal")
        }
    }

    @Test func reusesCachedStatementForTheSameSQL() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let first = try connection.withStatement("SELECT ?") { ObjectIdentifier($0) }
        let second = try connection.withStatement("SELECT ?") { ObjectIdentifier($0) }
        let other = try connection.withStatement("SELECT ?, ?") { ObjectIdentifier($0) }
        #expect(first == second)
        #expect(first != other)
        #expect(connection.cachedStatementCount == 2)
    }

    @Test func reusedStatementStartsResetWithBindingsCleared() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.withStatement("SELECT ?") { statement in
            try statement.bind(7, at: 1)
            #expect(try statement.step())
            #expect(statement.int64(at: 0) == 7)
            // Leave the statement mid-result on purpose.
        }
        try connection.withStatement("SELECT ?") { statement throws in
            #expect(try statement.step())
            #expect(statement.isNull(at: 0))
            #expect(try !statement.step())
        }
    }

    @Test func nestedUseOfTheSameSQLGetsItsOwnStatement() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2);")
        let sql = "SELECT x FROM t ORDER BY x"
        let pairs = try connection.withStatement(sql) { outer in
            try outer.mapRows { row in
                let x = row.int64(at: 0)
                let inner = try connection.withStatement(sql) { try $0.mapRows { $0.int64(at: 0) } }
                return (x, inner)
            }
        }
        #expect(pairs.map(\.0) == [1, 2])
        #expect(pairs.map(\.1) == [[1, 2], [1, 2]])
        #expect(connection.cachedStatementCount == 1)
    }

    @Test func refusesASecondStatementInWithStatement() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x INTEGER)")
        let error = #expect(throws: SQLiteError.self) {
            try connection.run("INSERT INTO t VALUES (1); DROP TABLE t")
        }
        #expect(error?.resultCode == SQLITE_MISUSE)
        #expect(error?.description.contains("execute(_:)") == true)
        // Trailing whitespace and comments are fine.
        try connection.run("INSERT INTO t VALUES (1);  -- done\n")
        #expect(try rowCount(connection, table: "t") == 1)
    }

    @Test func executeRunsScriptsAndReportsFailingSQL() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute(
            """
            CREATE TABLE a (x INTEGER);
            CREATE TABLE b (y INTEGER);
            INSERT INTO a VALUES (1);
            """)
        #expect(try rowCount(connection, table: "a") == 1)
        let error = #expect(throws: SQLiteError.self) {
            try connection.execute("SELEKT 1")
        }
        #expect(error?.resultCode == SQLITE_ERROR)
        #expect(error?.sql == "SELEKT 1")
        #expect(error?.message.contains("syntax error") == true)
    }

    @Test func reportsLastInsertRowIDAndChanges() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x INTEGER)")
        try connection.run("INSERT INTO t (id, x) VALUES (41, 0)")
        try connection.run("INSERT INTO t (x) VALUES (0)")
        #expect(connection.lastInsertRowID == 42)
        try connection.run("UPDATE t SET x = 1")
        #expect(connection.changes == 2)
    }

    @Test func transactionCommitsWhenBodyReturns() throws {
        try withDatabasePath { path in
            let connection = try SQLiteConnection(path: path)
            try connection.execute("CREATE TABLE t (x INTEGER)")
            let result = try connection.transaction {
                try connection.run("INSERT INTO t VALUES (1)")
                return "done"
            }
            #expect(result == "done")
            #expect(connection.isAutocommit)
            let other = try SQLiteConnection(path: path, mode: .readOnly)
            #expect(try rowCount(other, table: "t") == 1)
        }
    }

    @Test func transactionRollsBackEverythingWhenBodyThrows() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: DeliberateFailure.self) {
            try connection.transaction {
                try connection.run("INSERT INTO t VALUES (1)")
                try connection.run("INSERT INTO t VALUES (2)")
                throw DeliberateFailure()
            }
        }
        #expect(connection.isAutocommit)
        #expect(try rowCount(connection, table: "t") == 0)
    }

    @Test func refusesNestedTransactions() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x INTEGER)")
        let error = #expect(throws: SQLiteError.self) {
            try connection.transaction {
                try connection.run("INSERT INTO t VALUES (1)")
                try connection.transaction {}
            }
        }
        #expect(error?.resultCode == SQLITE_MISUSE)
        #expect(try rowCount(connection, table: "t") == 0)
    }

    @Test func constraintViolationCarriesCodesMessageAndSQL() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
        let sql = "INSERT INTO t (id) VALUES (?)"
        try connection.run(sql) { try $0.bind(1, at: 1) }
        let error = #expect(throws: SQLiteError.self) {
            try connection.run(sql) { try $0.bind(1, at: 1) }
        }
        #expect(error?.resultCode == SQLITE_CONSTRAINT)
        #expect(error?.extendedResultCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(error?.isConstraintViolation == true)
        #expect(error?.message == "UNIQUE constraint failed: t.id")
        #expect(error?.sql == sql)
        #expect(error?.description.contains("SQLITE_CONSTRAINT") == true)
    }

    @Test func readOnlyConnectionRefusesWrites() throws {
        try withDatabasePath { path in
            let writer = try SQLiteConnection.openWriter(path: path)
            let plain = try SQLiteConnection(path: path, mode: .readOnly)
            let configured = try SQLiteConnection.openReader(path: path)
            for reader in [plain, configured] {
                let error = #expect(throws: SQLiteError.self) {
                    try reader.run("INSERT INTO log_metadata (key, value) VALUES ('a', 'b')")
                }
                #expect(error?.resultCode == SQLITE_READONLY)
                #expect(error?.description.contains("read-only") == true)
            }
            #expect(try rowCount(writer, table: "log_metadata") == 0)
        }
    }
}
