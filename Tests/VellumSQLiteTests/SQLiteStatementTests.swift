import CSQLite
import Foundation
import Testing

@testable import VellumSQLite

@Suite struct SQLiteStatementTests {
    /// The ways a blob can be bound; each must store exactly the given bytes.
    enum BlobBinding: String, CaseIterable, CustomTestStringConvertible {
        case copiedArray, copiedData, scopedNoCopy, scopedContiguousBytes
        var testDescription: String { rawValue }
    }

    private func makeTable() throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, data BLOB)")
        return connection
    }

    @Test(arguments: [0, 1, 32, 8192], BlobBinding.allCases)
    func blobRoundTrips(count: Int, binding: BlobBinding) throws {
        let connection = try makeTable()
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try connection.withStatement("INSERT INTO b (id, data) VALUES (?, ?)") { statement in
            try statement.bind(1, at: 1)
            switch binding {
            case .copiedArray:
                try statement.bind(bytes, at: 2)
                try statement.run()
            case .copiedData:
                try statement.bind(Data(bytes), at: 2)
                try statement.run()
            case .scopedNoCopy:
                try bytes.withUnsafeBytes { buffer in
                    try statement.withBlob(buffer, boundAt: 2) { try statement.run() }
                }
            case .scopedContiguousBytes:
                try statement.withBlob(Data(bytes), boundAt: 2) { try statement.run() }
            }
        }
        try connection.withStatement("SELECT data, length(data), typeof(data) FROM b") { row throws in
            #expect(try row.step())
            #expect(row.blob(at: 0) == bytes)
            #expect(row.data(at: 0) == Data(bytes))
            #expect(row.withBlob(at: 0) { $0.count } == count)
            #expect(row.int64(at: 1) == Int64(count))
            #expect(row.text(at: 2) == "blob")  // an empty blob is a blob, not NULL
            #expect(!row.isNull(at: 0))
        }
    }

    @Test func scopedBlobBindingIsDroppedWhenTheScopeEnds() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.withStatement("SELECT ?1") { statement in
            let inside = try statement.withBlob([UInt8]([1, 2, 3]), boundAt: 1) {
                try statement.step() ? statement.blob(at: 0) : []
            }
            #expect(inside == [1, 2, 3])
            // The statement was reset and the parameter is NULL: no pointer to the old buffer.
            #expect(try statement.step())
            #expect(statement.isNull(at: 0))
        }
    }

    @Test func rejectsUInt64AboveInt64Max() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        for value in [UInt64(Int64.max) + 1, UInt64.max] {
            let error = #expect(throws: SQLiteError.self) {
                try connection.withStatement("SELECT ?") { try $0.bind(value, at: 1) }
            }
            #expect(error?.resultCode == SQLITE_MISMATCH)
            #expect(error?.message.contains("\(value)") == true)
            #expect(error?.message.contains("\(Int64.max)") == true)
        }
    }

    @Test(arguments: [UInt64(0), 1, 255, UInt64(Int64.max)])
    func unsignedValuesRoundTrip(value: UInt64) throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let read = try connection.withStatement("SELECT ?") { statement in
            try statement.bind(value, at: 1)
            return try statement.step() ? try statement.uint64(at: 0) : nil
        }
        #expect(read == value)
    }

    @Test func readingANegativeValueAsUnsignedIsAnError() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.withStatement("SELECT -1 AS size") { statement throws in
            #expect(try statement.step())
            let error = #expect(throws: SQLiteError.self) { _ = try statement.uint64(at: 0) }
            #expect(error?.resultCode == SQLITE_MISMATCH)
            #expect(error?.message.contains("size") == true)
        }
    }

    @Test(arguments: ["", "tree", "héllo wörld", "a\u{0}b", "🌲🌳"])
    func textRoundTripsAsUTF8(value: String) throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.withStatement("SELECT ?, typeof(?1), length(CAST(?1 AS BLOB))") { row in
            try row.bind(value, at: 1)
            #expect(try row.step())
            #expect(row.text(at: 0) == value)
            #expect(row.text(at: 1) == "text")
            #expect(row.int64(at: 2) == Int64(value.utf8.count))
        }
    }

    @Test func readsIntegersDoublesAndNulls() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.withStatement("SELECT ?, ?, ?, ?") { row in
            try row.bind(Int64.min, at: 1)
            try row.bind(2.5, at: 2)
            try row.bindNull(at: 3)
            try row.bind(-3, at: 4)
            #expect(try row.step())
            #expect(row.columnCount == 4)
            #expect(row.int64(at: 0) == Int64.min)
            #expect(row.double(at: 1) == 2.5)
            #expect(row.isNull(at: 2))
            #expect(row.blob(at: 2) == [])
            #expect(row.int64(at: 3) == -3)
        }
    }

    @Test func iteratesRowsInOrder() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        try connection.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (3), (1), (2);")
        let mapped = try connection.withStatement("SELECT x FROM t ORDER BY x") {
            try $0.mapRows { $0.int64(at: 0) }
        }
        #expect(mapped == [1, 2, 3])
        var visited: [Int64] = []
        try connection.withStatement("SELECT x FROM t ORDER BY x DESC") {
            try $0.forEachRow { visited.append($0.int64(at: 0)) }
        }
        #expect(visited == [3, 2, 1])
    }

    @Test func explainsAnOutOfRangeParameterIndex() throws {
        let connection = try SQLiteConnection(path: ":memory:")
        let error = #expect(throws: SQLiteError.self) {
            try connection.withStatement("SELECT ?") { try $0.bind(1, at: 2) }
        }
        #expect(error?.resultCode == SQLITE_RANGE)
        #expect(error?.message.contains("1 parameter") == true)
    }
}
