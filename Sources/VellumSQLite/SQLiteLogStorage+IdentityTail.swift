import VellumMerkle
import VellumStorage

/// The identity index's two levels (`migrations/0002_identity_tail.sql`): recording appends to
/// `identity_tail`; each write transaction then merges a few key-ordered slices of the sealed
/// generation into `identities`, and seals the tail once it holds a generation.
extension SQLiteLogStorage {
    /// Reads the tail into memory (at open, and after a failed write).
    static func loadIdentityTail(_ db: SQLiteConnection) throws -> IdentityTail {
        var tail = IdentityTail()
        try db.withStatement("SELECT sealed_end, next_slice FROM identity_merge WHERE id = 0") { statement in
            if try statement.step() {
                tail.sealedEnd = statement.int64(at: 0)
                tail.nextSlice = Int(statement.int64(at: 1))
            }
        }
        var lastSeq: Int64 = -1
        try db.withStatement("SELECT seq, leaf_hash, idx FROM identity_tail ORDER BY seq") { statement in
            while try statement.step() {
                let seq = statement.int64(at: 0)
                let row = IdentityTail.Row(identity: try hash(statement, at: 1), index: try statement.uint64(at: 2))
                if seq < tail.sealedEnd {
                    tail.sealed[row.identity] = row.index
                    let slice = IdentityTail.slice(of: row.identity)
                    if slice >= tail.nextSlice { tail.sealedSlices[slice].append(row) }
                } else {
                    tail.append(row)
                }
                lastSeq = seq
            }
        }
        tail.nextSeq = max(lastSeq + 1, tail.sealedEnd)
        return tail
    }

    /// What a write transaction recorded in the tail; applied to `identityTail` after COMMIT.
    final class TailRecorder {
        var changes = IdentityTail.Changes()
        var nextSeq: Int64

        init(nextSeq: Int64) { self.nextSeq = nextSeq }
    }
}

extension SQLiteLogStorage.Transaction {
    /// The index recorded for `identity` in the tail (this transaction's rows included) or in
    /// `identities`.
    func existingIndex(of identity: Hash) throws -> UInt64? {
        if let index = recorder.changes.recorded[identity] ?? tail.index(of: identity) { return index }
        return try SQLiteLogStorage.identityIndex(db, identity)
    }

    /// Appends `identity` to the tail (one new row at the end of `identity_tail`).
    func record(_ identity: Hash, index: UInt64) throws {
        try db.withStatement("INSERT INTO identity_tail (seq, leaf_hash, idx) VALUES (?1, ?2, ?3)") { statement in
            try statement.bind(recorder.nextSeq, at: 1)
            try statement.bind(index, at: 3)
            try identity.withUnsafeBytes { bytes in try statement.withBlob(bytes, boundAt: 2) { try statement.run() } }
        }
        recorder.nextSeq += 1
        recorder.changes.rows.append(IdentityTail.Row(identity: identity, index: index))
        recorder.changes.recorded[identity] = index
    }

    /// The tail's share of the transaction, run last inside it: merges the slices that are due
    /// (more when the active generation is already full, so a merge always ends before the
    /// next one must start), then seals the active generation once it holds
    /// `identityTailEntries` rows. A crash before COMMIT undoes all of it; after COMMIT the
    /// merge position in `identity_merge` says exactly which slices are in `identities`.
    func finishIdentityTail() throws {
        let limit = max(1, identityTailEntries)
        let recorded = recorder.changes.rows.count
        let activeCount = tail.active.count + recorded
        var nextSlice = tail.nextSlice
        var sealedEnd = tail.sealedEnd
        var changed = false
        if nextSlice < 256 {
            let due = activeCount >= limit ? 256 - nextSlice : max(1, (256 * recorded + limit - 1) / limit)
            let through = min(256, nextSlice + due)
            for slice in nextSlice..<through { try merge(tail.sealedSlices[slice]) }
            if through == 256 {
                // The whole generation is in `identities` now: drop its rows from the head of the tail.
                try db.withStatement("DELETE FROM identity_tail WHERE seq < ?1") { statement in
                    try statement.bind(tail.sealedEnd, at: 1)
                    try statement.run()
                }
            }
            recorder.changes.mergedThrough = through
            nextSlice = through
            changed = true
        }
        if nextSlice == 256 && activeCount >= limit {
            recorder.changes.sealed = true
            sealedEnd = recorder.nextSeq
            nextSlice = 0
            changed = true
        }
        guard changed else { return }
        try db.withStatement("INSERT OR REPLACE INTO identity_merge (id, sealed_end, next_slice) VALUES (0, ?1, ?2)") { statement in
            try statement.bind(sealedEnd, at: 1)
            try statement.bind(Int64(nextSlice), at: 2)
            try statement.run()
        }
    }

    /// Inserts one slice's rows into `identities` in key order, so consecutive inserts land on
    /// the same few pages.
    private func merge(_ rows: [IdentityTail.Row]) throws {
        guard !rows.isEmpty else { return }
        let sorted = rows.sorted { $0.identity < $1.identity }  // byte order, as SQLite orders BLOBs
        try db.withStatement("INSERT INTO identities (leaf_hash, idx) VALUES (?1, ?2)") { statement in
            for row in sorted {
                try statement.bind(row.index, at: 2)
                try row.identity.withUnsafeBytes { bytes in try statement.withBlob(bytes, boundAt: 1) { try statement.run() } }
                try statement.reset()
            }
        }
    }
}
