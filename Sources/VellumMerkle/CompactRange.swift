/// The compact range of a tree: the roots of the perfect subtrees that make up leaves
/// `[0, size)`, one per set bit of `size`, largest (left-most) first. That is all the state
/// needed to append leaves and compute the root (transparency-dev/merkle `compact.Range`,
/// restricted to ranges that start at 0).
public struct CompactRange: Hashable, Sendable {
    /// The number of leaves covered.
    public private(set) var size: UInt64
    /// Perfect subtree roots, left to right; `roots.count == size.nonzeroBitCount`.
    public private(set) var roots: [Hash]

    /// The empty range.
    public init() {
        size = 0
        roots = []
    }

    /// A range from stored roots (for instance rebuilt from the right-edge tiles).
    public init(size: UInt64, roots: [Hash]) throws(ProofError) {
        guard roots.count == size.nonzeroBitCount else {
            throw .wrongNodeCount(got: roots.count, want: size.nonzeroBitCount)
        }
        self.size = size
        self.roots = roots
    }

    /// The nodes whose hashes are `roots`, in the same order.
    public var rootIDs: [NodeID] { NodeID.decomposition(begin: 0, end: size) }

    /// Appends one leaf hash. `visitor` sees the leaf (level 0) and then every node the leaf
    /// completes, bottom-up: exactly the new hashes a tile store must record.
    public mutating func append(_ leafHash: Hash, visitor: (NodeID, Hash) -> Void) {
        var hash = leafHash
        var node = NodeID(level: 0, index: size)
        visitor(node, hash)
        // Each trailing 1 bit of the old size is a left sibling waiting for this leaf.
        var carries = (~size).trailingZeroBitCount
        while carries > 0 {
            hash = RFC6962.nodeHash(left: roots.removeLast(), right: hash)
            node = NodeID(level: node.level + 1, index: node.index >> 1)
            visitor(node, hash)
            carries -= 1
        }
        roots.append(hash)
        size += 1
    }

    /// Appends one leaf hash without reporting nodes.
    public mutating func append(_ leafHash: Hash) {
        append(leafHash) { _, _ in }
    }

    /// The RFC 6962 root of leaves `[0, size)`; `RFC6962.emptyRoot` for size 0.
    public var root: Hash {
        RFC6962.foldRight(roots) ?? RFC6962.emptyRoot
    }
}
