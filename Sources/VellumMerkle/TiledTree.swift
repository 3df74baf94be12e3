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
    /// `visitor`, if given, also sees every node the batch completes (the sequencer keeps them
    /// to build its receipts' proofs without rehashing tiles).
    public mutating func integrate(_ leafHashes: some Sequence<Hash>,
                                   visitor: ((NodeID, Hash) -> Void)? = nil) -> Integration {
        let height = UInt8(layout.height)
        let fullWidth = layout.fullWidth
        let levels = 64 / layout.height + 1
        // The open (right-edge) tile of each tile level, as a base row and its index; a row is
        // emitted when it fills up and when the batch ends, if anything was added to it.
        var rows = [[Hash]](repeating: [], count: levels)
        var rowIndex = [UInt64](repeating: 0, count: levels)
        var touched = [Bool](repeating: false, count: levels)
        for (level, tile) in partialTiles {
            rows[Int(level)] = tile.hashes
            rowIndex[Int(level)] = tile.id.index
        }
        var completed: [Tile] = []
        for leaf in leafHashes {
            range.append(leaf) { node, hash in
                visitor?(node, hash)
                guard node.level % height == 0 else { return }
                let level = Int(node.level / height)
                if rows[level].isEmpty {
                    rows[level].reserveCapacity(fullWidth)
                    rowIndex[level] = node.index >> UInt64(height)
                }
                rows[level].append(hash)
                touched[level] = true
                if rows[level].count == fullWidth {
                    completed.append(Tile(id: TileID(level: UInt8(level), index: rowIndex[level]), hashes: rows[level]))
                    rows[level] = []
                }
            }
        }
        var partials: [UInt8: Tile] = [:]
        var changed = completed
        for level in 0..<levels where !rows[level].isEmpty {
            let tile = Tile(id: TileID(level: UInt8(level), index: rowIndex[level]), hashes: rows[level])
            partials[UInt8(level)] = tile
            if touched[level] { changed.append(tile) }
        }
        partialTiles = partials
        changed.sort { $0.id < $1.id }
        return Integration(tiles: changed, size: range.size, root: range.root)
    }
}
