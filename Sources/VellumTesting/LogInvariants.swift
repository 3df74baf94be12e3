import VellumMerkle
import VellumNote
import VellumStorage

/// The invariants a stored log must satisfy after any crash or failure:
/// the latest checkpoint's signature is valid and its body matches the tree state; the tiles
/// hash to that root; the entry bundles hold exactly `size` entries that hash to the level-0
/// tiles; every acknowledged entry is present at its index with a valid inclusion proof; no
/// identity appears twice. Throws a description of the first violation.
public enum LogInvariants {
    public struct Violation: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) { self.description = description }
    }

    /// - Parameters:
    ///   - acknowledged: index → entry bytes of every entry a receipt was returned for.
    ///   - identity: how an entry's identity is derived from its bytes (the leaf hash by default).
    public static func check(storage: any LogStorage, verifiers: [any NoteVerifier],
                             acknowledged: [UInt64: [UInt8]],
                             identity: ([UInt8]) -> Hash = { RFC6962.leafHash($0) }) throws {
        func fail(_ message: String) -> Violation { Violation(description: message) }
        let state = try storage.treeState()
        guard let latest = try storage.latestCheckpoint() else { throw fail("no checkpoint stored") }
        let opened = try Checkpoint.open(String(decoding: latest.note, as: UTF8.self), verifiers: verifiers)
        guard opened.checkpoint.size == state.size, opened.checkpoint.root == state.root,
              latest.size == state.size, latest.root == state.root else {
            throw fail("checkpoint (\(opened.checkpoint.size)) does not match the tree state (\(state.size))")
        }
        // Read every level-0 tile and bundle; rebuild the tree from the leaves.
        var range = CompactRange()
        var seen: [Hash: UInt64] = [:]
        var bundleIndex: UInt64 = 0
        var leafHashes: [Hash] = []
        while UInt64(leafHashes.count) < state.size {
            guard let bytes = try storage.entryBundle(index: bundleIndex) else { throw fail("bundle \(bundleIndex) missing") }
            let bundle = try EntryBundle(parsing: bytes)
            let tile = try storage.tiles([TileID(level: 0, index: bundleIndex)]).first
            let hashes = bundle.entries.map { RFC6962.leafHash($0) }
            guard tile?.hashes == hashes else { throw fail("bundle \(bundleIndex) does not hash to level-0 tile \(bundleIndex)") }
            for (offset, entry) in bundle.entries.enumerated() {
                let index = bundleIndex * 256 + UInt64(offset)
                guard index < state.size else { throw fail("bundle \(bundleIndex) holds entries beyond size \(state.size)") }
                let id = identity(entry)
                if let other = seen[id] { throw fail("identity \(id) at both \(other) and \(index)") }
                seen[id] = index
                guard try storage.index(ofIdentity: id) == index else { throw fail("identity index wrong for entry \(index)") }
                range.append(hashes[offset])
                leafHashes.append(hashes[offset])
            }
            bundleIndex += 1
        }
        guard range.root == state.root else { throw fail("entries hash to \(range.root), not the stored root \(state.root)") }
        // The stored tiles give the same root and valid proofs for every acknowledged entry.
        let rootPlan = try TreeRoot.plan(size: state.size, treeSize: state.size)
        let rootFromTiles = try rootPlan.assemble(tiles: storage.tiles(rootPlan.tiles().map(\.id))).first ?? RFC6962.emptyRoot
        guard rootFromTiles == state.root else { throw fail("tiles hash to \(rootFromTiles), not \(state.root)") }
        for (index, entry) in acknowledged {
            guard index < state.size else { throw fail("acknowledged entry \(index) is beyond the size \(state.size): lost") }
            guard leafHashes[Int(index)] == RFC6962.leafHash(entry) else { throw fail("entry \(index) differs from the acknowledged one") }
            let plan = try InclusionProof.plan(leafIndex: index, treeSize: state.size)
            let proof = try plan.assemble(tiles: storage.tiles(plan.tiles().map(\.id)))
            try InclusionProof.verify(leafIndex: index, treeSize: state.size, leafHash: leafHashes[Int(index)], proof: proof, root: state.root)
        }
    }
}
