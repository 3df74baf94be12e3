import VellumMerkle

/// Every node hash a batch knows: the roots of the tree it started from and every node it
/// completed, kept per level in an array instead of a dictionary, since each receipt looks up
/// about twenty of them.
///
/// Why arrays work: for a batch that starts at tree size n, the nodes at level l it can know
/// are consecutive from index `(n >> l) & ~1`: the starting root there, if bit l of n is set,
/// is at `(n >> l) - 1` (even), and the first node the batch completes is at `n >> l`, followed
/// by the next ones in order, as integration completes them.
struct BatchNodes: Sendable {
    /// The tree size the batch started from.
    let start: UInt64
    /// `hashes[l][i]` is the node at level l, index `first(l) + i`, if known.
    private var hashes: [[Hash?]] = []

    init(start: UInt64) {
        self.start = start
    }

    private func first(_ level: Int) -> UInt64 {
        level < 64 ? (start >> UInt64(level)) & ~1 : 0
    }

    /// Records `hash` for `node`; nodes may come in any order, but indices below the level's
    /// first are not expected (and are ignored: no proof of the batch needs them).
    mutating func set(_ node: NodeID, _ hash: Hash) {
        let level = Int(node.level)
        guard node.index >= first(level) else { return }
        while hashes.count <= level { hashes.append([]) }
        let offset = Int(node.index - first(level))
        if offset == hashes[level].count {
            hashes[level].append(hash)
        } else {
            if offset > hashes[level].count {
                hashes[level].append(contentsOf: repeatElement(nil, count: offset - hashes[level].count + 1))
            }
            hashes[level][offset] = hash
        }
    }

    subscript(node: NodeID) -> Hash? {
        let level = Int(node.level)
        guard level < hashes.count, node.index >= first(level) else { return nil }
        let offset = node.index - first(level)
        guard offset < UInt64(hashes[level].count) else { return nil }
        return hashes[level][Int(offset)]
    }
}
