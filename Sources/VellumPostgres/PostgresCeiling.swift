import Foundation
import Logging
import PostgresNIO

/// For `scripts/bench append --store postgres…`: the rate at which this PostgreSQL server takes
/// the same bytes the log writes, with none of the log's work — `entries` rows of
/// (index, `key(index)`, `entryBytes` bytes) inserted with one multi-row statement per
/// transaction of `batchSize` rows, each committed durably, into a scratch table with a primary
/// key on the index and a unique index on the key (the log's identity index). The log's rate
/// divided by this is `append_vs_engine`, a figure the machine's drift cancels out of.
public enum PostgresCeiling {
    public static func entriesPerSecond(location: PostgresLocation, entries: Int, batchSize: Int,
                                        entryBytes: Int = 1024, key: (Int) -> [UInt8]) throws -> Double {
        let session = PostgresSession(location: location, logger: Logger(label: "vellum.bench"))
        defer { session.close() }
        return try storageErrors {
            try session.run("DROP TABLE IF EXISTS bench_ceiling")
            try session.run("CREATE TABLE bench_ceiling (idx bigint PRIMARY KEY, key bytea NOT NULL UNIQUE, data bytea NOT NULL)")
            defer { _ = try? session.run("DROP TABLE IF EXISTS bench_ceiling") }
            let payload = ByteBuffer(repeating: 0x2e, count: entryBytes)
            let start = ContinuousClock.now
            var done = 0
            while done < entries {
                let count = min(batchSize, entries - done)
                let indices = (done..<done + count).map(Int64.init)
                let keys = (done..<done + count).map { ByteBuffer(bytes: key($0)) }
                try session.transaction { _ in
                    try session.run(sql("INSERT INTO bench_ceiling SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])",
                                        indices, keys, [ByteBuffer](repeating: payload, count: count)))
                }
                done += count
            }
            let elapsed = ContinuousClock.now - start
            return Double(entries) / (elapsed / .seconds(1))
        }
    }

    /// The server settings that decide write speed, for the benchmark's report.
    public static func settings(location: PostgresLocation) throws -> [String: String] {
        let session = PostgresSession(location: location, logger: Logger(label: "vellum.bench"))
        defer { session.close() }
        var found: [String: String] = [:]
        for name in ["server_version", "shared_buffers", "synchronous_commit", "fsync", "wal_sync_method", "max_wal_size",
                     "checkpoint_timeout", "wal_compression", "full_page_writes"] {
            found[name] = try session.run(PostgresQuery(unsafeSQL: "SHOW \(name)")).first?.decode(String.self)
        }
        return found
    }

    /// Rows in one of the log's tables (batches are the checkpoints table's rows).
    public static func count(location: PostgresLocation, table: String) throws -> Int {
        let session = PostgresSession(location: location, logger: Logger(label: "vellum.bench"))
        defer { session.close() }
        return Int(try session.run(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)")).first?.decode(Int64.self) ?? 0)
    }
}
