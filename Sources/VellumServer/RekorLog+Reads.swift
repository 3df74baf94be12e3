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
        guard index < treeSize else { return nil }
        guard let body = try storage.entry(bundleIndex: index / 256, position: Int(index % 256)) else {
            throw StorageError.corrupt("entry \(index) is below the tree size \(treeSize) but not stored")
        }
        guard let covering = try storage.checkpoint(covering: index) else {
            throw StorageError.corrupt("no signed checkpoint covers entry \(index)")
        }
        return StoredEntry(index: index, body: body, integratedTime: covering.signedAt / 1000)
    }

    /// The audit path of leaf `index` in the tree of `treeSize`.
    func inclusionProof(index: UInt64, treeSize: UInt64) throws -> [Hash] {
        let plan = try InclusionProof.plan(leafIndex: index, treeSize: treeSize)
        return try plan.assemble(tiles: storage.tiles(plan.tiles().map(\.id)))
    }

    /// The RFC 6962 consistency proof from `oldSize` to `newSize` (both ≥ 1, old ≤ new).
    func consistencyProof(oldSize: UInt64, newSize: UInt64) throws -> [Hash] {
        if oldSize == newSize { return [] }
        let plan = try ConsistencyProof.plan(oldSize: oldSize, newSize: newSize)
        return try plan.assemble(tiles: storage.tiles(plan.tiles().map(\.id)))
    }

    /// The root of the first `size` entries, from the tiles of a tree of `treeSize` ≥ `size`.
    func root(size: UInt64, treeSize: UInt64) throws -> Hash {
        let plan = try TreeRoot.plan(size: size, treeSize: treeSize)
        return try plan.assemble(tiles: storage.tiles(plan.tiles().map(\.id))).first ?? RFC6962.emptyRoot
    }
}
