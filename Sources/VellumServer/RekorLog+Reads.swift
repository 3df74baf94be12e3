import VellumMerkle
import VellumStorage

/// An entry as read back from the store.
struct StoredEntry: Sendable {
    var index: UInt64
    /// The canonical body, exactly as logged (the Merkle leaf).
    var body: [UInt8]
    /// Rekor's integratedTime: when the first checkpoint covering the entry was signed (seconds).
    var integratedTime: UInt64
}

/// Reads behind the API. Each works against one checkpoint read first, so the entry, the proof
/// and the checkpoint in a response always agree even while batches commit: tiles and bundles
/// of a later size start with those of the earlier one.
extension RekorLog {
    /// The entry at `index` if a tree of `treeSize` holds it.
    func entry(at index: UInt64, treeSize: UInt64) throws -> StoredEntry? {
        guard let body = try body(at: index, treeSize: treeSize) else { return nil }
        return StoredEntry(index: index, body: body, integratedTime: try integratedTime(of: index))
    }

    /// The canonical body of entry `index` if a tree of `treeSize` holds it.
    func body(at index: UInt64, treeSize: UInt64) throws -> [UInt8]? {
        guard index < treeSize else { return nil }
        guard let body = try storage.entry(bundleIndex: index / 256, position: Int(index % 256)) else {
            throw StorageError.corrupt("entry \(index) is below the tree size \(treeSize) but not stored")
        }
        return body
    }

    /// Rekor's integratedTime of entry `index`: when the first checkpoint covering it was
    /// signed, in seconds. Remembered for recent entries, which is what clients ask about.
    func integratedTime(of index: UInt64) throws -> UInt64 {
        if let known = stamps.withLock({ $0[index] }) { return known.integratedTime }
        guard let covering = try storage.checkpoint(covering: index) else {
            throw StorageError.corrupt("no signed checkpoint covers entry \(index)")
        }
        remember(EntryStamp(integratedTime: covering.signedAt / 1000), of: index)
        return covering.signedAt / 1000
    }

    func remember(_ stamp: EntryStamp, of index: UInt64) {
        stamps.withLock { stamps in
            if stamps.count >= Self.rememberedStamps { stamps.removeAll(keepingCapacity: true) }
            stamps[index] = stamp
        }
    }

    /// The audit path of leaf `index` in the tree of `treeSize`.
    func inclusionProof(index: UInt64, treeSize: UInt64) throws -> [Hash] {
        try proofs.assemble(try InclusionProof.plan(leafIndex: index, treeSize: treeSize))
    }

    /// The RFC 6962 consistency proof from `oldSize` to `newSize` (both ≥ 1, old ≤ new).
    func consistencyProof(oldSize: UInt64, newSize: UInt64) throws -> [Hash] {
        if oldSize == newSize { return [] }
        return try proofs.assemble(try ConsistencyProof.plan(oldSize: oldSize, newSize: newSize))
    }

    /// The root of the first `size` entries, from the tiles of a tree of `treeSize` ≥ `size`.
    func root(size: UInt64, treeSize: UInt64) throws -> Hash {
        try proofs.assemble(try TreeRoot.plan(size: size, treeSize: treeSize)).first ?? RFC6962.emptyRoot
    }
}
