/// The right edge of a tiled tree: its compact range and its partial tiles. This is everything
/// the writer keeps in memory; `integrate(_:)` appends a batch of leaf hashes and returns exactly
/// the tiles that change, ready to be stored.
///
/// Value type, no I/O: the sequencer owns one, stores what `integrate` returns and, if the store
/// fails, discards its copy and rebuilds it from the stored right-edge tiles with `init(size:…)`.
public struct TiledTree: Hashable, Sendable {
    public let layout: TileLayout
    /// The compact range of the current size.
    public private(set) var range: CompactRange
    /// The partial tile of each tile level that has one, by level.
    public private(set) var partialTiles: [UInt8: Tile]

    /// The number of leaves.
    public var size: UInt64 { range.size }
    /// The current root.
    public var root: Hash { range.root }

    /// An empty tree.
    public init(layout: TileLayout = .c2sp) {
        self.layout = layout
        self.range = CompactRange()
        self.partialTiles = [:]
    }

    /// The tree of `size` leaves, rebuilt from its right-edge (partial) tiles, which must be
    /// exactly `layout.rightEdge(treeSize: size)`: the perfect subtrees of `[0, size)` are hashed
    /// out of them (spec notes §1.6: the root needs exactly those tiles).
    public init(layout: TileLayout = .c2sp, size: UInt64, rightEdgeTiles: [Tile]) throws(ProofError) {
        let expected = layout.rightEdge(treeSize: size)
        let given = Dictionary(rightEdgeTiles.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard given.count == rightEdgeTiles.count, given.count == expected.count else {
            throw .wrongTileSet(want: expected.map(\.description).joined(separator: ", "),
                                got: rightEdgeTiles.map { $0.address.description }.joined(separator: ", "))
        }
        var roots: [Hash] = []
        var partials: [UInt8: Tile] = [:]
        // Higher tile levels hold the larger (left-most) subtrees.
        for address in expected.reversed() {
            guard let tile = given[address.id], tile.width == address.width else {
                throw .wrongTileSet(want: address.description, got: given[address.id]?.address.description ?? "none")
            }
            partials[address.id.level] = tile
            var offset = 0
            for bit in stride(from: layout.height - 1, through: 0, by: -1) where address.width & (1 << bit) != 0 {
                roots.append(RFC6962.perfectRoot(tile.hashes[offset..<offset + (1 << bit)]))
                offset += 1 << bit
            }
        }
        self.layout = layout
        self.range = try CompactRange(size: size, roots: roots)
        self.partialTiles = partials
    }

    /// The outcome of integrating one batch.
    public struct Integration: Hashable, Sendable {
        /// Every tile whose contents changed, lowest level first and left to right: the full
        /// tiles completed by the batch and the new partial tiles. Store all of them.
        public var tiles: [Tile]
        /// The tree size after the batch.
        public var size: UInt64
        /// The root after the batch.
        public var root: Hash
    }

    /// Appends `leafHashes` (one batch) and reports the tiles that change for the new size.
    public mutating func integrate(_ leafHashes: some Sequence<Hash>) -> Integration {
        let height = UInt8(layout.height)
        let fullWidth = layout.fullWidth
        // Working copies of the right edge, one per tile level; `touched` marks what changed.
        var open: [Tile?] = (0..<64).map { partialTiles[UInt8($0)] }
        var touched = [Bool](repeating: false, count: 64)
        var completed: [Tile] = []
        for leaf in leafHashes {
            range.append(leaf) { node, hash in
                guard node.level % height == 0 else { return }
                let level = Int(node.level / height)
                let tileIndex = node.index >> UInt64(height)
                if open[level] == nil {
                    open[level] = Tile(id: TileID(level: UInt8(level), index: tileIndex), hashes: [])
                    open[level]!.hashes.reserveCapacity(fullWidth)
                }
                open[level]!.hashes.append(hash)
                touched[level] = true
                if open[level]!.hashes.count == fullWidth {
                    completed.append(open[level]!)
                    open[level] = nil
                }
            }
        }
        var partials: [UInt8: Tile] = [:]
        var changed = completed
        for level in 0..<64 {
            guard let tile = open[level] else { continue }
            partials[UInt8(level)] = tile
            if touched[level] { changed.append(tile) }
        }
        partialTiles = partials
        changed.sort { $0.id < $1.id }
        return Integration(tiles: changed, size: range.size, root: range.root)
    }
}
