/// Inclusion proofs (RFC 6962 §2.1.1 audit paths; RFC 9162 §2.1.3): planning and verification.
public enum InclusionProof {
    /// The shape of the audit path of leaf `index` in a tree of `size`: `inner` hashes from the
    /// part of the path that lies under a complete subtree, then `border` left siblings along
    /// the right border (transparency-dev/merkle's decomposition).
    @inlinable
    static func shape(index: UInt64, size: UInt64) -> (inner: Int, border: Int) {
        let inner = 64 - (index ^ (size - 1)).leadingZeroBitCount
        let border = inner >= 64 ? 0 : (index >> UInt64(inner)).nonzeroBitCount
        return (inner, border)
    }

    /// The number of hashes in the audit path of leaf `index` in a tree of `size`.
    public static func length(index: UInt64, size: UInt64) throws(ProofError) -> Int {
        guard index < size else { throw .indexBeyondSize(index: index, size: size) }
        let (inner, border) = shape(index: index, size: size)
        return inner + border
    }

    /// Plans the audit path of leaf `leafIndex` in the tree of `treeSize`, leaf side first.
    public static func plan(leafIndex: UInt64, treeSize: UInt64) throws(ProofError) -> ProofPlan {
        guard leafIndex < treeSize else { throw .indexBeyondSize(index: leafIndex, size: treeSize) }
        let (inner, border) = shape(index: leafIndex, size: treeSize)
        var nodes: [NodeID] = []
        nodes.reserveCapacity(inner + border + 8)
        var ends: [Int] = []
        ends.reserveCapacity(inner + border)
        // Below level `inner - 1` every sibling is a complete subtree.
        for level in 0..<max(inner - 1, 0) {
            nodes.append(NodeID(level: UInt8(level), index: (leafIndex >> UInt64(level)) ^ 1))
            ends.append(nodes.count)
        }
        if inner > 0 {
            // At level inner - 1 the leaf's sibling is to the right and holds the last leaf, so
            // it may be incomplete: the hash of leaves [start, treeSize), folded from the
            // perfect subtrees that make it up (the "ephemeral" node).
            let level = UInt64(inner - 1)
            let start = ((leafIndex >> level) ^ 1) << level
            nodes.append(contentsOf: NodeID.decomposition(begin: start, end: treeSize))
            ends.append(nodes.count)
        }
        // Above that the path runs along the right border: only left siblings exist.
        for level in inner..<64 where (leafIndex >> UInt64(level)) & 1 == 1 {
            nodes.append(NodeID(level: UInt8(level), index: (leafIndex >> UInt64(level)) ^ 1))
            ends.append(nodes.count)
        }
        assert(ends.count == inner + border)
        return ProofPlan(treeSize: treeSize, nodes: nodes, elementEnds: ends)
    }

    /// The path's elements, one array each; the caller has checked `leafIndex < treeSize`.
    static func elements(leafIndex: UInt64, treeSize: UInt64) -> [[NodeID]] {
        guard let plan = try? plan(leafIndex: leafIndex, treeSize: treeSize) else { return [] }
        return plan.elements.map { Array($0) }
    }

    /// The root that `proof` leads to from `leafHash` at `leafIndex` in a tree of `treeSize`
    /// (RFC 9162 §2.1.3.2). The length is checked up front, so a proof with missing or extra
    /// hashes fails with `wrongProofLength`.
    public static func root(leafIndex: UInt64, treeSize: UInt64, leafHash: Hash,
                            proof: [Hash]) throws(ProofError) -> Hash {
        let want = try length(index: leafIndex, size: treeSize)
        guard proof.count == want else { throw .wrongProofLength(got: proof.count, want: want) }
        var walk = PathWalk(leafIndex: leafIndex, treeSize: treeSize)
        var r = leafHash
        for p in proof {
            // The walk cannot pass the root here: the length check above rules it out.
            r = walk.step() ? RFC6962.nodeHash(left: p, right: r) : RFC6962.nodeHash(left: r, right: p)
        }
        guard walk.atRoot else { throw .wrongProofLength(got: proof.count, want: want) }
        return r
    }

    /// Verifies that `leafHash` is leaf `leafIndex` of the tree of `treeSize` with `root`.
    /// Throws the rule that fails: `indexBeyondSize`, `wrongProofLength` or `rootMismatch`.
    public static func verify(leafIndex: UInt64, treeSize: UInt64, leafHash: Hash,
                              proof: [Hash], root: Hash) throws(ProofError) {
        let computed = try self.root(leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, proof: proof)
        guard computed == root else { throw .rootMismatch(computed: computed, expected: root) }
    }
}
