import CSQLite
import Dispatch
import Foundation
import Synchronization
import VellumSync
import Testing

@testable import VellumSQLite

@Suite struct SQLiteReadPoolTests {
    @Test func readersOnManyThreadsSeeOnlyWholeCommittedBatches() throws {
        try withDatabasePath { path in
            let writer = try SQLiteConnection.openWriter(path: path)
            let pool = try SQLiteReadPool(path: path, size: 3)
            let batchSize = 10
            let batches = 20
            let writerDone = Atomic<Bool>(false)
            let problems = Locked<[String]>([])

            let writing = DispatchGroup()
            DispatchQueue.global().async(group: writing) {
                do {
                    for batch in 0..<batches {
                        let start = batch * batchSize
                        try insertBundles(writer, range: start..<(start + batchSize))
                    }
                } catch {
                    problems.withLock { $0.append("writer: \(error)") }
                }
                writerDone.store(true, ordering: .releasing)
            }

            DispatchQueue.concurrentPerform(iterations: 6) { reader in
                var last: Int64 = 0
                repeat {
                    do {
                        let count = try pool.withConnection { try rowCount($0, table: "entry_bundles") }
                        if count % Int64(batchSize) != 0 || count < last {
                            problems.withLock { $0.append("reader \(reader) saw \(count) after \(last)") }
                        }
                        last = count
                    } catch {
                        problems.withLock { $0.append("reader \(reader): \(error)") }
                        return
                    }
                } while !writerDone.load(ordering: .acquiring)
            }
            writing.wait()

            #expect(problems.withLock { $0 } == [])
            let final = try pool.withConnection { try rowCount($0, table: "entry_bundles") }
            #expect(final == Int64(batchSize * batches))
        }
    }

    @Test func readersInConcurrentTasksSeeCommittedData() async throws {
        try await withDatabasePath { path in
            let writer = try SQLiteConnection.openWriter(path: path)
            try insertBundles(writer, range: 0..<100)
            let pool = try SQLiteReadPool(path: path, size: 2)
            let counts = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        try pool.withConnection { connection in
                            try connection.transaction(.deferred) {
                                try rowCount(connection, table: "entry_bundles")
                            }
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 100, count: 16))
        }
    }

    @Test func readersDoNotSeeUncommittedWrites() throws {
        try withDatabasePath { path in
            let writer = try SQLiteConnection.openWriter(path: path)
            let pool = try SQLiteReadPool(path: path, size: 1)
            try writer.transaction {
                try writer.run("INSERT INTO log_metadata (key, value) VALUES ('tree_id', '1')")
                let during = try pool.withConnection { try rowCount($0, table: "log_metadata") }
                #expect(during == 0)
            }
            let after = try pool.withConnection { try rowCount($0, table: "log_metadata") }
            #expect(after == 1)
        }
    }

    @Test func blocksTheCallerWhileEveryConnectionIsBusy() throws {
        try withDatabasePath { path in
            _ = try SQLiteConnection.openWriter(path: path)
            let pool = try SQLiteReadPool(path: path, size: 1)
            let holderHasConnection = DispatchSemaphore(value: 0)
            let releaseHolder = DispatchSemaphore(value: 0)
            let waiterHasConnection = DispatchSemaphore(value: 0)

            DispatchQueue.global().async {
                _ = try? pool.withConnection { _ in
                    holderHasConnection.signal()
                    releaseHolder.wait()
                }
            }
            holderHasConnection.wait()
            DispatchQueue.global().async {
                _ = try? pool.withConnection { _ in waiterHasConnection.signal() }
            }

            #expect(waiterHasConnection.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
            releaseHolder.signal()
            #expect(waiterHasConnection.wait(timeout: .now() + .seconds(10)) == .success)
        }
    }

    @Test func returnsTheConnectionWhenTheBodyThrows() throws {
        try withDatabasePath { path in
            _ = try SQLiteConnection.openWriter(path: path)
            let pool = try SQLiteReadPool(path: path, size: 1)
            #expect(throws: DeliberateFailure.self) {
                try pool.withConnection { connection in
                    try connection.execute("BEGIN")  // left open on purpose
                    _ = try rowCount(connection, table: "tiles")
                    throw DeliberateFailure()
                }
            }
            // The single connection came back, with its transaction rolled back.
            let autocommit = try pool.withConnection { $0.isAutocommit }
            #expect(autocommit)
        }
    }

    @Test func refusesADatabaseTheWriterHasNotOpened() throws {
        try withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("missing.db").path
            let error = #expect(throws: SQLiteError.self) {
                _ = try SQLiteReadPool(path: missing, size: 1)
            }
            #expect(error?.resultCode == SQLITE_CANTOPEN)

            // A plain rollback-journal database, never opened by the writer.
            let plain = directory.appendingPathComponent("plain.db").path
            try SQLiteConnection(path: plain).execute("CREATE TABLE t (x INTEGER)")
            let notWAL = #expect(throws: SQLiteError.self) {
                _ = try SQLiteReadPool(path: plain, size: 1)
            }
            #expect(notWAL?.message.contains("open the writer first") == true)
        }
    }

    @Test func refusesADatabaseWithoutTheLatestMigrations() throws {
        try withDatabasePath { path in
            _ = try SQLiteConnection.openWriter(path: path, migrations: try Migrations([]))
            let error = #expect(throws: MigrationError.self) {
                _ = try SQLiteReadPool(path: path, size: 1)
            }
            #expect(
                error == .olderDatabase(
                    path: path, databaseVersion: 0,
                    latestKnownVersion: Migrations.embedded.latestVersion))
        }
    }
}

extension SQLiteReadPoolTests {
    @Test func opensAfterTheWriterHasClosed() throws {
        try withDatabasePath { path in
            let writer = try SQLiteConnection.openWriter(path: path)
            try insertBundles(writer, range: 0..<3)
            try writer.close()
            // The last connection to close checkpoints the WAL and deletes it.
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
            let pool = try SQLiteReadPool(path: path, size: 2)
            #expect(try pool.withConnection { try rowCount($0, table: "entry_bundles") } == 3)
        }
    }
}
