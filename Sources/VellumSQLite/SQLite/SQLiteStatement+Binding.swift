import CSQLite
import Foundation

/// Binding values to parameters. Indices are 1-based, as in SQLite's C API. Bind before the
/// first ``SQLiteStatement/step()``, or after ``SQLiteStatement/reset()``.
extension SQLiteStatement {
    public func bind(_ value: Int64, at index: Int) throws {
        try check(sqlite3_bind_int64(handle, Int32(index), value))
    }

    public func bind(_ value: Int, at index: Int) throws {
        try bind(Int64(value), at: index)
    }

    /// Binds an unsigned value (an index or a tree size). SQLite integers are signed 64-bit, so
    /// values above `Int64.max` are refused with `SQLITE_MISMATCH` rather than wrapped around
    /// into negative numbers.
    public func bind(_ value: UInt64, at index: Int) throws {
        guard let signed = Int64(exactly: value) else {
            throw misuse(
                SQLITE_MISMATCH,
                "UInt64 value \(value) bound to parameter \(index) does not fit SQLite's signed "
                    + "64-bit INTEGER (maximum \(Int64.max))")
        }
        try bind(signed, at: index)
    }

    public func bind(_ value: Double, at index: Int) throws {
        try check(sqlite3_bind_double(handle, Int32(index), value))
    }

    /// Binds text as UTF-8. SQLite copies it (`SQLITE_TRANSIENT`).
    public func bind(_ value: String, at index: Int) throws {
        var value = value
        let code = value.withUTF8 { utf8 -> Int32 in
            guard let start = utf8.baseAddress, utf8.count > 0 else {
                // A nil pointer would bind NULL; the empty string is a value.
                return sqlite3_bind_text(handle, Int32(index), "", 0, vellum_sqlite_transient())
            }
            return start.withMemoryRebound(to: CChar.self, capacity: utf8.count) { text in
                sqlite3_bind_text64(
                    handle, Int32(index), text, UInt64(utf8.count), vellum_sqlite_transient(),
                    UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    /// Binds a blob; SQLite copies the bytes (`SQLITE_TRANSIENT`). An empty array binds an
    /// empty blob, not `NULL`. To bind without the copy, use ``withBlob(_:boundAt:_:)``.
    public func bind(_ value: [UInt8], at index: Int) throws {
        try value.withUnsafeBytes { try bindBlob($0, at: index, copy: true) }
    }

    /// Binds a blob; SQLite copies the bytes (`SQLITE_TRANSIENT`). Empty data binds an empty
    /// blob, not `NULL`.
    public func bind(_ value: Data, at index: Int) throws {
        try value.withUnsafeBytes { try bindBlob($0, at: index, copy: true) }
    }

    public func bindNull(at index: Int) throws {
        try check(sqlite3_bind_null(handle, Int32(index)))
    }

    /// Binds `bytes` **without copying** (`SQLITE_STATIC`) for the duration of `body`, in which
    /// the caller steps the statement.
    ///
    /// SQLite keeps a pointer to a static binding until the parameter is rebound, so when `body`
    /// returns (or throws) the statement is reset and the parameter set back to `NULL`: SQLite
    /// never sees the pointer again after the buffer's scope ends. Bind the other parameters
    /// before calling this; nest calls for several blobs.
    ///
    /// ```swift
    /// try tile.withUnsafeBytes { bytes in
    ///     try statement.withBlob(bytes, boundAt: 3) { try statement.run() }
    /// }
    /// ```
    public func withBlob<Result>(
        _ bytes: UnsafeRawBufferPointer,
        boundAt index: Int,
        _ body: () throws -> Result
    ) throws -> Result {
        try bindBlob(bytes, at: index, copy: false)
        defer {
            sqlite3_reset(handle)
            sqlite3_bind_null(handle, Int32(index))
        }
        return try body()
    }

    /// Binds the bytes of `value` (an array, `Data`, …) without copying for the duration of
    /// `body`; see the `UnsafeRawBufferPointer` variant for the rules.
    public func withBlob<Bytes: ContiguousBytes, Result>(
        _ value: Bytes,
        boundAt index: Int,
        _ body: () throws -> Result
    ) throws -> Result {
        try value.withUnsafeBytes { bytes in
            try withBlob(bytes, boundAt: index, body)
        }
    }

    private func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int, copy: Bool) throws {
        guard let start = bytes.baseAddress, bytes.count > 0 else {
            // A nil pointer would bind NULL; an empty blob is a value.
            return try check(sqlite3_bind_zeroblob(handle, Int32(index), 0))
        }
        let destructor = copy ? vellum_sqlite_transient() : vellum_sqlite_static()
        try check(
            sqlite3_bind_blob64(handle, Int32(index), start, UInt64(bytes.count), destructor))
    }

    /// Throws unless a bind call returned `SQLITE_OK`.
    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            if code == SQLITE_RANGE {
                throw misuse(
                    SQLITE_RANGE,
                    "parameter index out of range: the statement has \(parameterCount) "
                        + "parameter(s), numbered from 1")
            }
            throw error(code)
        }
    }
}
