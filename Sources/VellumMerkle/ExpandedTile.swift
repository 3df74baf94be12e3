/// A tile with every inner level computed once: the hash of any perfect, aligned range of its
/// base row is then a lookup instead of up to 255 node hashes. Worth keeping for full tiles,
/// which never change (a proof server caches them); 511 hashes (16 KiB) for a full tile.
public struct ExpandedTile: Sendable {
    public let id: TileID
    /// `levels[k][i]` is the root of base-row hashes `i << k ..< (i + 1) << k`; level k holds
    /// `width >> k` hashes (the incomplete pair at the end of a partial tile is left out).
    public let levels: [[Hash]]

    public init(_ tile: Tile) {
        var levels = [tile.hashes]
        while let last = levels.last, last.count > 1 {
            var next: [Hash] = []
            next.reserveCapacity(last.count / 2)
            for pair in stride(from: 0, to: last.count - 1, by: 2) {
                next.append(RFC6962.nodeHash(left: last[pair], right: last[pair + 1]))
            }
            levels.append(next)
        }
        self.id = tile.id
        self.levels = levels
    }

    /// The width of the base row.
    public var width: Int { levels[0].count }

    /// The root of base-row hashes `range`, which must be a power-of-two-sized, aligned slice
    /// inside the tile (every range `TileLayout.location(of:)` gives for a complete node is);
    /// nil otherwise.
    public func root(of range: Range<Int>) -> Hash? {
        let count = range.count
        guard count > 0, count & (count - 1) == 0, range.lowerBound % count == 0, range.upperBound <= width else {
            return nil
        }
        let level = count.trailingZeroBitCount
        return levels[level][range.lowerBound >> level]
    }
}
