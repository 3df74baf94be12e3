/// A tile: the `2^height` consecutive nodes of one tree level that it stores, and the
/// `height - 1` levels above them that it stands for but never stores (C2SP tlog-tiles §"Tiles").
///
/// Tile level `L` stores nodes of tree level `L·height`; tile `(L, N)` holds nodes
/// `N·2^height ..< (N+1)·2^height` of that level. C2SP fixes the height at 8; tests use 1–3 to
/// reach many tile levels with small trees.
public struct TileID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var level: UInt8
    public var index: UInt64

    @inlinable
    public init(level: UInt8, index: UInt64) {
        self.level = level
        self.index = index
    }

    public static func < (lhs: TileID, rhs: TileID) -> Bool {
        (lhs.level, lhs.index) < (rhs.level, rhs.index)
    }

    public var description: String { "tile(\(level), \(index))" }
}

/// A tile as of some tree size: its coordinates and how many base-row hashes it has then
/// (`width`, 1 through `2^height`; less than that makes it a partial tile).
public struct TileAddress: Hashable, Sendable, CustomStringConvertible {
    public var id: TileID
    public var width: Int

    public init(id: TileID, width: Int) {
        self.id = id
        self.width = width
    }

    public var description: String { "tile(\(id.level), \(id.index), width \(width))" }
}

/// Tile geometry for one tile height: where nodes live, and which tiles exist at a tree size.
public struct TileLayout: Hashable, Sendable {
    /// Tree levels per tile (8 in C2SP tlog-tiles).
    public let height: Int

    /// The C2SP layout: height 8, 256 hashes (8 KiB) in a full tile.
    public static let c2sp = TileLayout(height: 8)

    public init(height: Int) {
        precondition((1...16).contains(height), "tile height must be 1...16, got \(height)")
        self.height = height
    }

    /// Hashes in a full tile: `2^height`.
    @inlinable
    public var fullWidth: Int { 1 << height }

    /// The tile that stores or implies `node`, and which base-row hashes of that tile hash up to
    /// it (`range`, a power-of-two-sized slice; one hash when the node is in the base row).
    @inlinable
    public func location(of node: NodeID) -> (tile: TileID, range: Range<Int>) {
        let tileLevel = Int(node.level) / height
        let levelInTile = Int(node.level) % height
        let shift = height - levelInTile
        let tileIndex = node.index >> UInt64(shift)
        let indexInTile = Int(node.index & ((1 << UInt64(shift)) - 1))
        let start = indexInTile << levelInTile
        return (TileID(level: UInt8(tileLevel), index: tileIndex), start..<(start + (1 << levelInTile)))
    }

    /// The number of nodes of tree level `level` that are complete in a tree of `treeSize`.
    @inlinable
    func completeNodes(level: Int, treeSize: UInt64) -> UInt64 {
        level >= 64 ? 0 : treeSize >> UInt64(level)
    }

    /// The width of tile `id` in a tree of `treeSize`: `fullWidth` when complete, less for a
    /// partial tile, 0 when the tile does not exist yet (such a tile must not be served).
    public func width(of id: TileID, treeSize: UInt64) -> Int {
        let nodes = completeNodes(level: Int(id.level) * height, treeSize: treeSize)
        let first = id.index.multipliedReportingOverflow(by: UInt64(fullWidth))
        guard !first.overflow, nodes > first.partialValue else { return 0 }
        return Int(min(UInt64(fullWidth), nodes - first.partialValue))
    }

    /// The number of tile levels that hold anything at `treeSize`.
    public func tileLevels(treeSize: UInt64) -> Int {
        var levels = 0
        while completeNodes(level: levels * height, treeSize: treeSize) > 0 { levels += 1 }
        return levels
    }

    /// The partial tiles of `treeSize`, lowest level first: at tile level `L` the tile
    /// `(L, (size >> L·h) >> h)` with width `(size >> L·h) mod 2^h` when that is nonzero.
    /// Together they determine the root (C2SP tlog-tiles; spec notes §1.6).
    public func rightEdge(treeSize: UInt64) -> [TileAddress] {
        (0..<tileLevels(treeSize: treeSize)).compactMap { level in
            let nodes = completeNodes(level: level * height, treeSize: treeSize)
            let width = Int(nodes & UInt64(fullWidth - 1))
            guard width > 0 else { return nil }
            return TileAddress(id: TileID(level: UInt8(level), index: nodes >> UInt64(height)), width: width)
        }
    }

    /// Every tile that must be (re)written when the tree grows from `oldSize` to `newSize`: at
    /// each level, the tiles completed in between and the new partial tile, lowest level first.
    /// A tile whose width does not change is not listed.
    public func changedTiles(from oldSize: UInt64, to newSize: UInt64) -> [TileAddress] {
        precondition(oldSize <= newSize, "a tree only grows: \(oldSize) > \(newSize)")
        var result: [TileAddress] = []
        for level in 0..<tileLevels(treeSize: newSize) {
            let oldNodes = completeNodes(level: level * height, treeSize: oldSize)
            let newNodes = completeNodes(level: level * height, treeSize: newSize)
            guard newNodes > oldNodes else { continue }
            // The first tile touched holds node `oldNodes`; the last holds node `newNodes - 1`.
            let first = oldNodes >> UInt64(height)
            let last = (newNodes - 1) >> UInt64(height)
            for index in first...last {
                let id = TileID(level: UInt8(level), index: index)
                result.append(TileAddress(id: id, width: width(of: id, treeSize: newSize)))
            }
        }
        return result
    }
}
