/// Roots of earlier sizes, read from the tiles of the current size: the perfect subtrees of
/// `[0, size)` are complete in every later tree, so their hashes sit in its tiles (monitors and
/// consistency checks need old roots; spec notes §1.6).
public enum TreeRoot {
    /// Plans the root of the first `size` leaves, to be read from tiles of `treeSize` ≥ `size`.
    /// The plan has one element (none for size 0, whose root is `RFC6962.emptyRoot`).
    public static func plan(size: UInt64, treeSize: UInt64) throws(ProofError) -> ProofPlan {
        guard size <= treeSize else { throw .sizeBeyondTree(size: size, treeSize: treeSize) }
        let nodes = NodeID.decomposition(begin: 0, end: size)
        return ProofPlan(treeSize: treeSize, elements: nodes.isEmpty ? [] : [nodes])
    }

    /// The root of the first `size` leaves from tiles of a tree of `treeSize`.
    public static func root(size: UInt64, treeSize: UInt64, tiles: [Tile],
                            layout: TileLayout = .c2sp) throws(ProofError) -> Hash {
        let plan = try plan(size: size, treeSize: treeSize)
        return try plan.assemble(tiles: tiles, layout: layout).first ?? RFC6962.emptyRoot
    }
}

extension CompactRange {
    /// Plans the compact range of the first `size` leaves (each perfect subtree of `[0, size)`
    /// one element), to be read from tiles of `treeSize` ≥ `size`: a monitor that starts auditing
    /// at `size` reads it once and then appends every later leaf itself.
    public static func plan(size: UInt64, treeSize: UInt64) throws(ProofError) -> ProofPlan {
        guard size <= treeSize else { throw .sizeBeyondTree(size: size, treeSize: treeSize) }
        return ProofPlan(treeSize: treeSize, elements: NodeID.decomposition(begin: 0, end: size).map { [$0] })
    }
}
