import PostgresNIO
import VellumMerkle
import VellumStorage

/// The writes of one batch on PostgreSQL. Identity lookups run at once, inside the batch's
/// transaction (the caller needs their answers); everything else is collected and sent by
/// `flush` as a handful of multi-row statements (`unnest` of arrays), pipelined, so a batch of
/// thousands of entries costs a few round trips, not thousands.
final class PostgresWriteTransaction: LogWriteTransaction {
    let session: PostgresSession
    private var tiles: [TileID: Tile] = [:]
    /// The newest version of each bundle written in this transaction.
    private var bundles: [UInt64: [UInt8]] = [:]
    /// Identities recorded in this transaction; those of them not yet sent, in order.
    private var identities: [Hash: UInt64] = [:]
    private var unsentIdentities: [Hash] = []
    private var searchKeys: [ByteBuffer] = []
    private var searchIndices: [Int64] = []
    private var attachments: [UInt64: [UInt8]] = [:]
    private var state: TreeState?
    private var checkpoints: [StoredCheckpoint] = []

    init(session: PostgresSession) { self.session = session }

    // MARK: Identities (answered now)

    /// The committed indices of those of `hashes` that are in the log, in one query. Written as
    /// one index probe per hash (LATERAL … LIMIT 1) because, given thousands of values,
    /// `identity = ANY($1)` is planned as a sequential scan of the whole table: a cost that grows
    /// with the log (at 1M entries it was an eighth of the server's work per batch).
    private func committed(_ hashes: [Hash]) throws -> [Hash: UInt64] {
        guard !hashes.isEmpty else { return [:] }
        let result = try session.run(sql("""
            SELECT u.identity, found.idx FROM unnest($1::bytea[]) AS u(identity)
            CROSS JOIN LATERAL (SELECT idx FROM identities AS i WHERE i.identity = u.identity LIMIT 1) AS found
            """, hashes.map(ByteBuffer.init)))
        var found: [Hash: UInt64] = [:]
        for row in result {
            let (identity, index) = try row.decode((ByteBuffer, Int64).self)
            found[try identity.hash("identity")] = try unsigned(index, "index")
        }
        return found
    }

    private func record(_ identity: Hash, index: UInt64) {
        identities[identity] = index
        unsentIdentities.append(identity)
    }

    func putIdentity(_ identity: Hash, index: UInt64) throws {
        if let existing = try identities[identity] ?? committed([identity])[identity] {
            throw StorageError.duplicateIdentity(identity, index: existing)
        }
        record(identity, index: index)
    }

    func putIdentityIfAbsent(_ identity: Hash, index: UInt64) throws -> UInt64? {
        if let existing = try identities[identity] ?? committed([identity])[identity] { return existing }
        record(identity, index: index)
        return nil
    }

    /// The whole batch at once, inserting first and asking only on a conflict. A plain insert
    /// descends the unique index once per entry and fails on an identity already in the log;
    /// `ON CONFLICT`, or a lookup before the insert, would descend it twice for every entry of
    /// every batch, to serve the rare batch holding a repeat. That rare batch rolls back to the
    /// savepoint, looks its identities up and inserts the new ones.
    func putIdentitiesIfAbsent(_ hashes: [Hash], firstIndex: UInt64) throws -> [UInt64?] {
        var seen = Set<Hash>()
        let fresh = hashes.filter { identities[$0] == nil && seen.insert($0).inserted }
        var stored: [Hash: UInt64] = [:]
        if !fresh.isEmpty {
            do {
                try session.pipeline(["SAVEPOINT identities", try insertIdentities(fresh, numberedFrom: firstIndex),
                                      "RELEASE SAVEPOINT identities"])
            } catch let failure as PostgresFailure where failure.sqlState == uniqueViolation {
                try session.run("ROLLBACK TO SAVEPOINT identities")
                stored = try committed(fresh)
                let new = fresh.filter { stored[$0] == nil }
                if !new.isEmpty { try session.run(try insertIdentities(new, numberedFrom: firstIndex)) }
            }
        }
        // The same numbering as the inserts: first occurrences not yet in the log, in list order.
        var next = firstIndex
        return hashes.map { identity in
            if let existing = identities[identity] ?? stored[identity] { return existing }
            identities[identity] = next
            next += 1
            return nil
        }
    }

    private func insertIdentities(_ hashes: [Hash], numberedFrom first: UInt64) throws -> PostgresQuery {
        try insertIdentities(hashes, indices: hashes.indices.map { first + UInt64($0) })
    }

    private func insertIdentities(_ hashes: [Hash], indices: [UInt64]) throws -> PostgresQuery {
        try sql("INSERT INTO identities (identity, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[])",
                hashes.map(ByteBuffer.init), try indices.map(bigint))
    }

    // MARK: Collected writes

    func putTile(_ tile: Tile) throws { tiles[tile.id] = tile }

    func putEntryBundle(index: UInt64, bytes: [UInt8]) throws {
        // Checked now for shape (the stored count is checked in `flush`).
        _ = try EntryBundle.entries(appendedTo: 0, bundle: index, in: bytes)
        bundles[index] = bytes
    }

    func putSearchKey(_ key: [UInt8], index: UInt64) throws {
        searchKeys.append(ByteBuffer(bytes: key))
        searchIndices.append(try bigint(index))
    }

    func putAttachment(_ bytes: [UInt8], index: UInt64) throws { attachments[index] = bytes }

    func putTreeState(_ state: TreeState) throws { self.state = state }

    func putCheckpoint(_ checkpoint: StoredCheckpoint) throws {
        if let last = checkpoints.last, checkpoint.size < last.size {
            throw StorageError.checkpointGoesBackwards(stored: last.size, new: checkpoint.size)
        }
        checkpoints.append(checkpoint)
    }

    /// Sends everything collected. Throws (and the caller rolls back) on any refusal.
    func flush() throws {
        var statements: [PostgresQuery] = []
        if !tiles.isEmpty {
            let all = Array(tiles.values)
            statements.append(try sql("""
                INSERT INTO tiles (level, idx, data) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
                ON CONFLICT (level, idx) DO UPDATE SET data = EXCLUDED.data
                """, all.map { Int16($0.id.level) }, try all.map { try bigint($0.id.index) },
                all.map { tile in tile.hashes.withUnsafeBytes { ByteBuffer(bytes: $0) } }))
        }
        statements += try bundleStatements()
        if !unsentIdentities.isEmpty {
            statements.append(try insertIdentities(unsentIdentities, indices: unsentIdentities.map { identities[$0]! }))
        }
        if !attachments.isEmpty {
            let all = Array(attachments)
            statements.append(try sql("""
                INSERT INTO attachments (idx, data) SELECT * FROM unnest($1::bigint[], $2::bytea[])
                ON CONFLICT (idx) DO UPDATE SET data = EXCLUDED.data
                """, try all.map { try bigint($0.key) }, all.map { ByteBuffer(bytes: $0.value) }))
        }
        if let state {
            statements.append(try sql("""
                INSERT INTO tree_state (id, size, root) VALUES (1, $1, $2)
                ON CONFLICT (id) DO UPDATE SET size = EXCLUDED.size, root = EXCLUDED.root
                """, try bigint(state.size), ByteBuffer(state.root)))
        }
        // Each checkpoint only if none larger is stored: one row back means it was kept.
        let firstCheckpoint = statements.count
        for checkpoint in checkpoints {
            statements.append(try sql("""
                INSERT INTO checkpoints (size, root, note, signed_at)
                SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM checkpoints WHERE size > $1)
                ON CONFLICT (size) DO UPDATE SET root = EXCLUDED.root, note = EXCLUDED.note, signed_at = EXCLUDED.signed_at
                """, try bigint(checkpoint.size), ByteBuffer(checkpoint.root), ByteBuffer(bytes: checkpoint.note),
                try bigint(checkpoint.signedAt)))
        }
        guard !statements.isEmpty || !searchKeys.isEmpty else { return }
        let results = try sendWithSearchKeys(statements)
        for (offset, checkpoint) in checkpoints.enumerated() where results[firstCheckpoint + offset].metadata.rows != 1 {
            let stored = try session.run("SELECT coalesce(max(size), 0) FROM checkpoints").first?.decode(Int64.self) ?? 0
            throw StorageError.checkpointGoesBackwards(stored: try unsigned(stored, "checkpoint size"), new: checkpoint.size)
        }
    }

    /// Sends the search keys, then `statements`, in one pipeline; returns the results of
    /// `statements`. The keys go in with a plain insert, inside a savepoint: `ON CONFLICT DO
    /// NOTHING` checks the index before every row (three per hashedrekord entry), though a new
    /// entry's (key, index) pairs cannot be stored yet. Should one be (a key recorded again for
    /// an old index), the batch rolls back to the savepoint and sends them with ON CONFLICT.
    private func sendWithSearchKeys(_ statements: [PostgresQuery]) throws -> [PostgresQueryResult] {
        guard !searchKeys.isEmpty else { return try session.pipeline(statements) }
        var seen = Set<SearchRow>()
        let rows = zip(searchKeys, searchIndices).map { SearchRow(key: $0, index: $1) }.filter { seen.insert($0).inserted }
        let keys = rows.map(\.key), indices = rows.map(\.index)
        let plain = try sql("INSERT INTO search_keys (key, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[])", keys, indices)
        do {
            return Array(try session.pipeline(["SAVEPOINT search_keys", plain, "RELEASE SAVEPOINT search_keys"] + statements)
                .dropFirst(3))
        } catch let failure as PostgresFailure where failure.sqlState == uniqueViolation {
            try session.run("ROLLBACK TO SAVEPOINT search_keys")
            let tolerant = try sql("""
                INSERT INTO search_keys (key, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[]) ON CONFLICT DO NOTHING
                """, keys, indices)
            return Array(try session.pipeline([tolerant] + statements).dropFirst())
        }
    }

    /// New bundles inserted whole; stored ones extended by the entries past those they hold
    /// (the `putEntryBundle` contract), after one query for the stored counts.
    private func bundleStatements() throws -> [PostgresQuery] {
        guard !bundles.isEmpty else { return [] }
        let indices = try bundles.keys.sorted().map(bigint)
        var storedCounts: [Int64: Int] = [:]
        for row in try session.run(sql("SELECT idx, entries FROM entry_bundles WHERE idx = ANY($1::bigint[])", indices)) {
            let (index, count) = try row.decode((Int64, Int32).self)
            storedCounts[index] = Int(count)
        }
        var inserted: (indices: [Int64], counts: [Int32], data: [ByteBuffer]) = ([], [], [])
        var extended: (indices: [Int64], counts: [Int32], data: [ByteBuffer]) = ([], [], [])
        for index in indices {
            let bytes = bundles[UInt64(index)]!
            let stored = storedCounts[index] ?? 0
            let appended = try EntryBundle.entries(appendedTo: stored, bundle: UInt64(index), in: bytes)
            if storedCounts[index] == nil {
                guard !appended.isEmpty else { continue }
                inserted.indices.append(index)
                inserted.counts.append(Int32(appended.count))
                inserted.data.append(ByteBuffer(bytes: bytes))
            } else if !appended.isEmpty {
                var tail: [UInt8] = []
                for entry in appended { EntryBundle.append(entry, to: &tail) }
                extended.indices.append(index)
                extended.counts.append(Int32(stored + appended.count))
                extended.data.append(ByteBuffer(bytes: tail))
            }
        }
        var statements: [PostgresQuery] = []
        if !inserted.indices.isEmpty {
            statements.append(try sql("INSERT INTO entry_bundles (idx, entries, data) SELECT * FROM unnest($1::bigint[], $2::int[], $3::bytea[])",
                                      inserted.indices, inserted.counts, inserted.data))
        }
        if !extended.indices.isEmpty {
            statements.append(try sql("""
                UPDATE entry_bundles AS b SET entries = u.entries, data = b.data || u.tail
                FROM unnest($1::bigint[], $2::int[], $3::bytea[]) AS u(idx, entries, tail) WHERE b.idx = u.idx
                """, extended.indices, extended.counts, extended.data))
        }
        return statements
    }
}

/// SQLSTATE 23505: a row's key is already in a unique index.
private let uniqueViolation = "23505"

private struct SearchRow: Hashable {
    let key: ByteBuffer
    let index: Int64
}
