import Foundation
import Testing

@testable import VellumSQLite

/// Runs `body` with a new, empty directory that is removed afterwards.
func withTemporaryDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("vellum-sqlite-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// Runs `body` with the path of a not-yet-existing database file in a temporary directory.
func withDatabasePath<Result>(_ body: (String) throws -> Result) throws -> Result {
    try withTemporaryDirectory { try body($0.appendingPathComponent("log.db").path) }
}

/// The async variant of ``withDatabasePath(_:)``, for tests that use task groups.
func withDatabasePath<Result>(_ body: (String) async throws -> Result) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("vellum-sqlite-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory.appendingPathComponent("log.db").path)
}

/// A thrown error for rollback tests.
struct DeliberateFailure: Error {}

/// Inserts `count` rows into `entry_bundles` with bytes `[UInt8(i % 256)]`, in one transaction.
func insertBundles(_ connection: SQLiteConnection, range: Range<Int>) throws {
    try connection.transaction {
        for index in range {
            try connection.run("INSERT INTO entry_bundles (idx, data) VALUES (?, ?)") {
                try $0.bind(index, at: 1)
                try $0.bind([UInt8(index % 256)], at: 2)
            }
        }
    }
}

/// `SELECT count(*) FROM <table>`.
func rowCount(_ connection: SQLiteConnection, table: String) throws -> Int64 {
    try connection.withStatement("SELECT count(*) FROM \(table)") {
        try $0.step() ? $0.int64(at: 0) : -1
    }
}

/// The rows of the live runs of an index (`identity` or `search`), decoded from their blocks
/// (`migrations/0007_index_runs.sql`), in no particular order.
func liveRunRows(_ name: String, path: String) throws -> [(key: [UInt8], index: UInt64)] {
    let blocks = name == "identity" ? "identity_blocks" : "search_blocks"
    let sql = "SELECT b.data FROM index_runs AS r JOIN \(blocks) AS b ON b.run = r.run WHERE r.tail = ?1 AND r.state = 'live'"
    return try SQLiteConnection.openReader(path: path).withStatement(sql) { statement in
        try statement.bind(name, at: 1)
        var rows: [(key: [UInt8], index: UInt64)] = []
        while try statement.step() {
            try statement.withBlob(at: 0) { block in
                rows += try RunBlock.decode(block).map { (Array($0.key.bytes), $0.index) }
            }
        }
        return rows
    }
}

/// Rows of an index that left its tail: the legacy b-tree's and the live runs'.
func mergedRows(_ name: String, path: String) throws -> Int {
    let legacy = name == "identity" ? "identities" : "search_index"
    let count = try SQLiteConnection.openReader(path: path).withStatement("SELECT count(*) FROM \(legacy)") { s in
        _ = try s.step()
        return Int(s.int64(at: 0))
    }
    return try count + liveRunRows(name, path: path).count
}

/// Whether every key is in the live runs at most once.
func liveRunKeysAreDistinct(_ name: String, path: String) throws -> Bool {
    let keys = try liveRunRows(name, path: path).map(\.key)
    return Set(keys).count == keys.count
}

/// The rows of a tail table (`identity_tail` or `search_tail`): the sum of its runs' counts
/// (`migrations/0008_tail_runs.sql`).
func tailRows(_ table: String, path: String) throws -> Int {
    try SQLiteConnection.openReader(path: path).withStatement("SELECT coalesce(sum(count), 0) FROM \(table)") { s in
        _ = try s.step()
        return Int(s.int64(at: 0))
    }
}
