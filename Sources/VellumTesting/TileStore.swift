import VellumMerkle

/// An in-memory map of the latest version of every tile, fed by `TiledTree.integrate`. Used by
/// tests and benchmarks to read proofs back the way a store would.
public struct TileStore: Sendable {
    public var tree: TiledTree
    public private(set) var tiles: [TileID: Tile] = [:]

    public init(layout: TileLayout = .c2sp) {
        tree = TiledTree(layout: layout)
    }

    /// Integrates `leafHashes` as one batch and stores the changed tiles.
    @discardableResult
    public mutating func append(_ leafHashes: some Sequence<Hash>) -> TiledTree.Integration {
        let integration = tree.integrate(leafHashes)
        for tile in integration.tiles { tiles[tile.id] = tile }
        return integration
    }

    /// The stored tiles a plan needs (the newest version of each; a wider tile serves any
    /// narrower read).
    public func tiles(for plan: ProofPlan) -> [Tile] {
        plan.tiles(in: tree.layout).compactMap { tiles[$0.id] }
    }

    /// Reads and assembles a plan.
    public func assemble(_ plan: ProofPlan) throws(ProofError) -> [Hash] {
        try plan.assemble(tiles: tiles(for: plan), layout: tree.layout)
    }
}
