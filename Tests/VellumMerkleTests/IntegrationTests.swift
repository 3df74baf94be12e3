import Testing
import VellumMerkle
import VellumTesting

@Suite struct IntegrationTests {
    @Test(arguments: [1, 3, 8])
    func randomBatchesGiveTheSameTilesAsOneAtATime(height: Int) throws {
        let layout = TileLayout(height: height)
        let leaves = (0..<3000).map { RFC6962.leafHash(leafN($0)) }
        var single = TileStore(layout: layout)
        for leaf in leaves { single.append([leaf]) }
        for seed in 1...5 as ClosedRange<UInt64> {
            var generator = SeededGenerator(seed: seed)
            var batched = TileStore(layout: layout)
            var offset = 0
            while offset < leaves.count {
                let count = min(Int.random(in: 0...700, using: &generator), leaves.count - offset)
                let before = batched.tree.size
                let integration = batched.append(leaves[offset..<offset + count])
                offset += count
                // Exactly the tiles the layout says change, no more and no fewer.
                #expect(integration.tiles.map(\.address) == layout.changedTiles(from: before, to: UInt64(offset)),
                        "seed \(seed) batch ending at \(offset)")
                #expect(integration.size == UInt64(offset))
            }
            #expect(batched.tiles == single.tiles, "seed \(seed)")
            #expect(batched.tree.root == single.tree.root)
        }
    }

    @Test(arguments: [1, 2, 8])
    func rebuildsFromRightEdgeTilesAndContinues(height: Int) throws {
        let layout = TileLayout(height: height)
        let leaves = (0..<700).map { RFC6962.leafHash(leafN($0)) }
        var full = TileStore(layout: layout)
        full.append(leaves)
        for cut in [0, 1, 2, 255, 256, 257, 511, 512, 513, 699] {
            var prefix = TileStore(layout: layout)
            prefix.append(leaves[..<cut])
            let edge = layout.rightEdge(treeSize: UInt64(cut)).map { prefix.tiles[$0.id]! }
            var rebuilt = try TiledTree(layout: layout, size: UInt64(cut), rightEdgeTiles: edge)
            #expect(rebuilt.root == prefix.tree.root, "root rebuilt at \(cut)")
            #expect(rebuilt == prefix.tree, "state rebuilt at \(cut)")
            let integration = rebuilt.integrate(leaves[cut...])
            #expect(integration.root == full.tree.root)
            for tile in integration.tiles { #expect(full.tiles[tile.id] == tile, "\(tile.id) after rebuild at \(cut)") }
        }
    }

    @Test func refusesWrongRightEdgeTiles() throws {
        var store = TileStore()
        store.append((0..<300).map { RFC6962.leafHash(leafN($0)) })
        let edge = TileLayout.c2sp.rightEdge(treeSize: 300).map { store.tiles[$0.id]! }
        #expect(throws: ProofError.self) { try TiledTree(size: 301, rightEdgeTiles: edge) }
        #expect(throws: ProofError.self) { try TiledTree(size: 300, rightEdgeTiles: Array(edge.dropLast())) }
        var truncated = edge
        truncated[0].hashes.removeLast()
        #expect(throws: ProofError.self) { try TiledTree(size: 300, rightEdgeTiles: truncated) }
    }

    @Test func emptyBatchChangesNothing() {
        var store = TileStore()
        store.append((0..<10).map { RFC6962.leafHash(leafN($0)) })
        let before = store.tree
        let integration = store.append([Hash]())
        #expect(integration.tiles.isEmpty)
        #expect(store.tree == before)
    }

    @Test func missingTileIsReportedByAddress() throws {
        let plan = try InclusionProof.plan(leafIndex: 3, treeSize: 10)
        #expect(throws: ProofError.missingTile(TileAddress(id: TileID(level: 0, index: 0), width: 3))) {
            try plan.assemble(tiles: [])
        }
    }
}

@Suite struct ExpandedTileTests {
    @Test(arguments: [1, 2, 3, 7, 8, 100, 255, 256])
    func everyAlignedRangeMatchesTheTilesOwnRoot(width: Int) {
        let tile = Tile(id: TileID(level: 0, index: 3), hashes: (0..<width).map { RFC6962.leafHash([UInt8($0 & 0xff), 9]) })
        let expanded = ExpandedTile(tile)
        #expect(expanded.width == width)
        var size = 1
        while size <= width {
            for start in stride(from: 0, to: width - size + 1, by: size) {
                #expect(expanded.root(of: start..<start + size) == tile.root(of: start..<start + size))
            }
            size *= 2
        }
        #expect(expanded.root(of: 1..<3) == nil)        // not aligned
        #expect(expanded.root(of: 0..<3) == nil)        // not a power of two
        #expect(expanded.root(of: 0..<(2 * width)) == nil)  // beyond the tile
    }
}
