import PostgresNIO
import VellumMerkle
import VellumStorage

/// A statement with its parameters bound in order ($1, $2, …).
func sql(_ text: String, _ values: any PostgresThrowingDynamicTypeEncodable...) throws -> PostgresQuery {
    var binds = PostgresBindings(capacity: values.count)
    for value in values { try binds.append(value) }
    return PostgresQuery(unsafeSQL: text, binds: binds)
}

/// Indices and sizes are below 2^63 in every log, so they fit PostgreSQL's bigint. A value a
/// client asked for may not; reads answer those with "not there" rather than trapping.
func bigint(_ value: UInt64) throws -> Int64 {
    guard let value = Int64(exactly: value) else {
        throw StorageError.backend("index \(value) is beyond the largest one PostgreSQL's bigint can hold")
    }
    return value
}

func unsigned(_ value: Int64, _ what: String) throws -> UInt64 {
    guard let value = UInt64(exactly: value) else { throw StorageError.corrupt("negative \(what) \(value) in the database") }
    return value
}

extension ByteBuffer {
    init(_ hash: Hash) { self = hash.withUnsafeBytes { ByteBuffer(bytes: $0) } }

    var bytes: [UInt8] { Array(readableBytesView) }

    func hash(_ what: String) throws -> Hash {
        guard let hash = Hash(readableBytesView) else {
            throw StorageError.corrupt("\(what) of \(readableBytes) bytes, not 32, in the database")
        }
        return hash
    }
}
