import CSQLite
import Foundation

/// Reading the current row. Column indices are 0-based, as in SQLite's C API. Call these only
/// after ``SQLiteStatement/step()`` returned `true`; SQLite converts between storage classes as
/// `sqlite3_column_*` documents (NULL reads as 0, "" or an empty blob), so use
/// ``isNull(at:)`` where NULL must be told apart.
extension SQLiteStatement {
    /// The number of columns in the result.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of a result column, as written in the SQL (or its `AS` alias).
    public func columnName(at index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// `true` when the column's value is SQL `NULL`.
    public func isNull(at index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    public func int64(at index: Int) -> Int64 {
        sqlite3_column_int64(handle, Int32(index))
    }

    /// Reads an unsigned value (an index, a size); a negative stored value is refused with
    /// `SQLITE_MISMATCH`, since it can only come from a bug or a damaged row.
    public func uint64(at index: Int) throws -> UInt64 {
        let value = int64(at: index)
        guard let unsigned = UInt64(exactly: value) else {
            throw misuse(
                SQLITE_MISMATCH,
                "column \(index) (\(columnName(at: index))) holds \(value), expected a "
                    + "non-negative integer")
        }
        return unsigned
    }

    public func double(at index: Int) -> Double {
        sqlite3_column_double(handle, Int32(index))
    }

    /// The column as UTF-8 text (NULL reads as "").
    public func text(at index: Int) -> String {
        // Per the SQLite docs: ask for the pointer first, then the length of that form.
        guard let start = sqlite3_column_text(handle, Int32(index)) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    /// The column as bytes (NULL and the empty blob both read as `[]`).
    public func blob(at index: Int) -> [UInt8] {
        withBlob(at: index) { [UInt8]($0) }
    }

    /// The column as `Data` (NULL and the empty blob both read as empty data).
    public func data(at index: Int) -> Data {
        withBlob(at: index) { Data($0) }
    }

    /// Lends the column's bytes without copying them. The buffer is SQLite's and is valid only
    /// inside `body` (until the next step, reset or column conversion).
    public func withBlob<Result>(
        at index: Int,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        guard let start = sqlite3_column_blob(handle, Int32(index)) else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        return try body(UnsafeRawBufferPointer(start: start, count: count))
    }
}
