/// A hash tile: the base-row hashes of tile `id` as of some tree size. Its inner levels are not
/// stored; `root(of:)` rebuilds the ones a proof needs.
public struct Tile: Hashable, Sendable {
    public var id: TileID
    /// The base-row hashes; `hashes.count` is the tile's width.
    public var hashes: [Hash]

    public init(id: TileID, hashes: [Hash]) {
        self.id = id
        self.hashes = hashes
    }

    /// The width: how many base-row hashes the tile has.
    @inlinable
    public var width: Int { hashes.count }

    public var address: TileAddress { TileAddress(id: id, width: hashes.count) }

    /// The RFC 6962 root of base-row hashes `range` (a power-of-two-sized, aligned slice).
    @inlinable
    public func root(of range: Range<Int>) -> Hash {
        RFC6962.perfectRoot(hashes[range])
    }
}
