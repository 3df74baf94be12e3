import VellumSync

/// Verifies many inclusion proofs against ONE tree (one size, one root), hashing only the part
/// of each audit path that no earlier proof already verified. Safe to use from many threads.
///
/// Why: a batch of consecutive leaves is acknowledged with one proof each, and every proof is
/// verified before it is returned. Their paths share all but their lowest levels, so verifying
/// each from scratch hashed about twenty nodes per entry where two are new (~2-3 µs of an
/// append's ~20 µs of CPU, `docs/PERFORMANCE.md`).
///
/// How it stays a full verification: after element k of a proof, the running hash stands for
/// one subtree (`PathWalk.node`), and the rest of the fold depends only on that subtree, its
/// hash and the rest of the proof. Once a proof has verified all the way to the root, each of
/// its subtrees is remembered with its running hash and the proof it came from. A later proof
/// is hashed up to the first remembered subtree on its path; it is accepted there only if its
/// running hash equals the remembered one AND the rest of its elements equal the rest of the
/// remembered proof, so that folding on would repeat a fold already seen to reach the root.
/// Otherwise it is folded to the root as `InclusionProof.verify` does.
public final class SharedPathVerifier: Sendable {
    public let treeSize: UInt64
    public let root: Hash
    /// The leaves whose proofs are remembered (a batch's new entries); proofs of other leaves
    /// are verified from scratch.
    public let leaves: Range<UInt64>
    private let memory: Locked<Memory>

    /// A verifier of proofs in the tree of `treeSize` with `root`, remembering the paths of
    /// `leaves` (which must lie below `treeSize`; the part beyond is ignored).
    public init(treeSize: UInt64, root: Hash, leaves: Range<UInt64>) {
        self.treeSize = treeSize
        self.root = root
        self.leaves = leaves.clamped(to: 0..<treeSize)
        memory = Locked(Memory(leaves: self.leaves, treeSize: treeSize))
    }

    /// Verifies that `leafHash` is leaf `leafIndex` of the tree, throwing what
    /// `InclusionProof.verify` throws for a proof that does not verify.
    public func verify(leafIndex: UInt64, leafHash: Hash, proof: [Hash]) throws(ProofError) {
        guard leaves.contains(leafIndex) else {
            return try InclusionProof.verify(leafIndex: leafIndex, treeSize: treeSize, leafHash: leafHash, proof: proof, root: root)
        }
        let want = try InclusionProof.length(index: leafIndex, size: treeSize)
        guard proof.count == want else { throw .wrongProofLength(got: proof.count, want: want) }
        let known = memory.withLock { $0.firstKnown(leafIndex: leafIndex, steps: proof.count) }
        try withUnsafeTemporaryAllocation(of: Hash.self, capacity: proof.count) { (running) throws(ProofError) in
            // running[k]: the running hash after element k.
            var walk = PathWalk(leafIndex: leafIndex, treeSize: treeSize)
            var r = leafHash
            var shortcut: Int?
            for (k, p) in proof.enumerated() {
                r = walk.step() ? RFC6962.nodeHash(left: p, right: r) : RFC6962.nodeHash(left: r, right: p)
                running.initializeElement(at: k, to: r)
                if let known, k == known.step {
                    if r == known.hash && proof[(k + 1)...].elementsEqual(known.proof[known.offset...]) {
                        shortcut = k
                        break
                    }
                    // Not the fold remembered here: this proof must reach the root by itself.
                }
            }
            if shortcut == nil {
                guard walk.atRoot else { throw .wrongProofLength(got: proof.count, want: want) }
                guard r == root else { throw .rootMismatch(computed: r, expected: root) }
            }
            // The subtrees of the steps below this one now fold to the root with this proof's
            // rest (none when it stopped at its first step: nothing new to remember).
            let verified = shortcut ?? proof.count
            guard verified > 0 else { return }
            let steps = UnsafeBufferPointer(rebasing: running[..<verified])
            memory.withLock { $0.remember(leafIndex: leafIndex, running: steps, proof: proof) }
        }
    }

    /// What the verifier remembers: per level, one slot per subtree the batch's paths pass.
    private struct Memory: ~Copyable {
        struct Slot {
            var hash: Hash
            /// Index in `proofs` of the verified proof this hash came from.
            var proof: Int32
            /// Where the rest of that proof starts, after this subtree's element.
            var offset: Int16
        }

        let leaves: Range<UInt64>
        let treeSize: UInt64
        /// Levels a path can reach: the root's is ceil(log2(size)).
        let levels: Int
        /// `slots[l][i]`: the subtree at level l, index `(leaves.lowerBound >> l) + i`. Made
        /// on first use (the batch's writer thread should not pay for it).
        var slots: [[Slot?]] = []
        var proofs: [[Hash]] = []

        init(leaves: Range<UInt64>, treeSize: UInt64) {
            self.leaves = leaves
            self.treeSize = treeSize
            levels = treeSize <= 1 ? 1 : min(64, 65 - (treeSize - 1).leadingZeroBitCount)
        }

        private mutating func slot(_ node: NodeID) -> Int? {
            let level = Int(node.level)
            guard level < levels, !leaves.isEmpty else { return nil }
            if slots.isEmpty {
                let last = leaves.upperBound - 1
                slots = (0..<levels).map { l in
                    [Slot?](repeating: nil, count: Int((last >> UInt64(l)) - (leaves.lowerBound >> UInt64(l)) + 1))
                }
            }
            let first = leaves.lowerBound >> UInt64(level)
            guard node.index >= first, node.index - first < UInt64(slots[level].count) else { return nil }
            return Int(node.index - first)
        }

        /// The lowest remembered subtree on the path of `leafIndex`, if any.
        mutating func firstKnown(leafIndex: UInt64, steps: Int)
            -> (step: Int, hash: Hash, proof: [Hash], offset: Int)? {
            var walk = PathWalk(leafIndex: leafIndex, treeSize: treeSize)
            for step in 0..<steps {
                _ = walk.step()
                let node = walk.node
                if let index = slot(node), let known = slots[Int(node.level)][index] {
                    return (step, known.hash, proofs[Int(known.proof)], Int(known.offset))
                }
            }
            return nil
        }

        /// Remembers the subtrees of the first `running.count` steps of `proof`'s path.
        mutating func remember(leafIndex: UInt64, running: UnsafeBufferPointer<Hash>, proof: [Hash]) {
            let source = Int32(proofs.count)
            proofs.append(proof)
            var walk = PathWalk(leafIndex: leafIndex, treeSize: treeSize)
            for (step, hash) in running.enumerated() {
                _ = walk.step()
                let node = walk.node
                if let index = slot(node), slots[Int(node.level)][index] == nil {
                    slots[Int(node.level)][index] = Slot(hash: hash, proof: source, offset: Int16(step + 1))
                }
            }
        }
    }
}
