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

    /// The whole batch in one statement, inserting first and asking afterwards: the insert's
    /// own descent of the unique index finds the identities already in the log, so a batch
    /// without duplicates (nearly all of them) costs one b-tree descent per entry instead of a
    /// probe and then an insert. The rows go in with indices counted as if none were there;
    /// when some were, a second query fetches their indices and a third corrects the others.
    func putIdentitiesIfAbsent(_ hashes: [Hash], firstIndex: UInt64) throws -> [UInt64?] {
        var seen = Set<Hash>()
        let fresh = hashes.filter { identities[$0] == nil && seen.insert($0).inserted }
        var provisional: [Hash: UInt64] = [:]
        for (offset, identity) in fresh.enumerated() { provisional[identity] = firstIndex + UInt64(offset) }
        var inserted = Set<Hash>()
        if !fresh.isEmpty {
            let rows = try session.run(sql("""
                INSERT INTO identities (identity, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[])
                ON CONFLICT (identity) DO NOTHING RETURNING identity
                """, fresh.map(ByteBuffer.init), try fresh.map { try bigint(provisional[$0]!) }))
            for row in rows { inserted.insert(try row.decode(ByteBuffer.self).hash("identity")) }
        }
        let stored = inserted.count == fresh.count ? [:] : try committed(fresh.filter { !inserted.contains($0) })
        var corrected: (identities: [ByteBuffer], indices: [Int64]) = ([], [])
        var next = firstIndex
        let outcome = try hashes.map { identity -> UInt64? in
            if let existing = identities[identity] ?? stored[identity] { return existing }
            identities[identity] = next
            if provisional[identity] != next {
                corrected.identities.append(ByteBuffer(identity))
                corrected.indices.append(try bigint(next))
            }
            next += 1
            return nil
        }
        if !corrected.indices.isEmpty {
            try session.run(sql("""
                UPDATE identities AS i SET idx = u.idx FROM unnest($1::bytea[], $2::bigint[]) AS u(identity, idx)
                WHERE i.identity = u.identity
                """, corrected.identities, corrected.indices))
        }
        return outcome
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
            statements.append(try sql("INSERT INTO identities (identity, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[])",
                                      unsentIdentities.map(ByteBuffer.init), try unsentIdentities.map { try bigint(identities[$0]!) }))
        }
        if !searchKeys.isEmpty {
            statements.append(try sql("""
                INSERT INTO search_keys (key, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[]) ON CONFLICT DO NOTHING
                """, searchKeys, searchIndices))
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
        guard !statements.isEmpty else { return }
        let results = try session.pipeline(statements)
        for (offset, checkpoint) in checkpoints.enumerated() where results[firstCheckpoint + offset].metadata.rows != 1 {
            let stored = try session.run("SELECT coalesce(max(size), 0) FROM checkpoints").first?.decode(Int64.self) ?? 0
            throw StorageError.checkpointGoesBackwards(stored: try unsigned(stored, "checkpoint size"), new: checkpoint.size)
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
