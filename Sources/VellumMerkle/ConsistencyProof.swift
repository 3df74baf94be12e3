/// Consistency proofs between two sizes of one tree (RFC 6962 §2.1.2; RFC 9162 §2.1.4):
/// planning and verification, with the edge cases decided as the shared vectors rule.
///
/// - equal sizes: only an empty proof verifies, and only if the two roots are equal;
/// - old size 0: rejected (`oldSizeZero`); the API answers `firstSize=0` with a 4xx;
/// - old size above new size: rejected (`oldSizeExceedsNewSize`).
public enum ConsistencyProof {
    /// The number of hashes in the proof from `oldSize` to `newSize`.
    public static func length(oldSize: UInt64, newSize: UInt64) throws(ProofError) -> Int {
        try checkSizes(oldSize: oldSize, newSize: newSize)
        if oldSize == newSize { return 0 }
        let level = oldSize.trailingZeroBitCount
        let path = try InclusionProof.length(index: oldSize - 1, size: newSize) - level
        return oldSize.nonzeroBitCount == 1 ? path : path + 1
    }

    static func checkSizes(oldSize: UInt64, newSize: UInt64) throws(ProofError) {
        guard oldSize > 0 else { throw .oldSizeZero }
        guard oldSize <= newSize else { throw .oldSizeExceedsNewSize(old: oldSize, new: newSize) }
    }

    /// Plans the proof that the tree of `oldSize` is a prefix of the tree of `newSize`.
    ///
    /// Node form (transparency-dev/merkle): the largest perfect subtree that ends at `oldSize`,
    /// followed by its audit path in the new tree; when `oldSize` is a power of two that subtree
    /// is the old root itself, which the verifier already has, so it is left out.
    public static func plan(oldSize: UInt64, newSize: UInt64) throws(ProofError) -> ProofPlan {
        try checkSizes(oldSize: oldSize, newSize: newSize)
        guard oldSize < newSize else { return ProofPlan(treeSize: newSize, elements: []) }
        let level = oldSize.trailingZeroBitCount
        // The audit path of the subtree's last leaf, without the `level` hashes inside it.
        var elements = Array(InclusionProof.elements(leafIndex: oldSize - 1, treeSize: newSize).dropFirst(level))
        if oldSize.nonzeroBitCount != 1 {
            elements.insert([NodeID(level: UInt8(level), index: (oldSize - 1) >> UInt64(level))], at: 0)
        }
        return ProofPlan(treeSize: newSize, elements: elements)
    }

    /// Verifies that the tree of `oldSize` with `oldRoot` is a prefix of the tree of `newSize`
    /// with `newRoot` (RFC 9162 §2.1.4.2, with the equal-size case handled first).
    public static func verify(oldSize: UInt64, newSize: UInt64, oldRoot: Hash, newRoot: Hash,
                              proof: [Hash]) throws(ProofError) {
        try checkSizes(oldSize: oldSize, newSize: newSize)
        if oldSize == newSize {
            guard proof.isEmpty else { throw .equalSizesNeedEmptyProof(proofLength: proof.count) }
            guard oldRoot == newRoot else { throw .equalSizesRootsDiffer }
            return
        }
        let want = try length(oldSize: oldSize, newSize: newSize)
        guard proof.count == want else { throw .wrongProofLength(got: proof.count, want: want) }
        // Step 1: a power-of-two old size is its own subtree root; put it in front.
        let path = oldSize.nonzeroBitCount == 1 ? [oldRoot] + proof : proof
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            guard sn != 0 else { throw .wrongProofLength(got: proof.count, want: want) }
            if fn & 1 == 1 || fn == sn {
                fr = RFC6962.nodeHash(left: c, right: fr)
                sr = RFC6962.nodeHash(left: c, right: sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = RFC6962.nodeHash(left: sr, right: c)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw .wrongProofLength(got: proof.count, want: want) }
        guard fr == oldRoot else { throw .oldRootMismatch(computed: fr, expected: oldRoot) }
        guard sr == newRoot else { throw .rootMismatch(computed: sr, expected: newRoot) }
    }
}
