import Testing
import VellumMerkle
import VellumTesting

/// The tiled engine against the naive recursive RFC 6962 tree, at every size 0…300 and tile
/// heights 1, 2 and 8: roots, every tile, every inclusion proof and every consistency proof,
/// each one also verified.
@Suite struct ReferenceCrossCheckTests {
    static let maxSize = 300

    @Test(arguments: [1, 2, 8])
    func tiledTreeMatchesReferenceAtEverySize(height: Int) throws {
        let layout = TileLayout(height: height)
        let reference = ReferenceTree.leafN(Self.maxSize)
        var store = TileStore(layout: layout)
        for size in 0...Self.maxSize {
            if size > 0 { store.append([reference.leafHashes[size - 1]]) }
            let n = UInt64(size)
            #expect(store.tree.root == reference.root(size: size), "root at \(size)")
            try checkTiles(store: store, reference: reference, size: size, layout: layout)
            for index in 0..<size {
                let plan = try InclusionProof.plan(leafIndex: UInt64(index), treeSize: n)
                let proof = try store.assemble(plan)
                #expect(proof == reference.inclusionProof(index: index, size: size), "inclusion \(index) in \(size)")
                #expect(proof.count == (try InclusionProof.length(index: UInt64(index), size: n)))
                try InclusionProof.verify(leafIndex: UInt64(index), treeSize: n, leafHash: reference.leafHashes[index],
                                          proof: proof, root: store.tree.root)
                let tiles = plan.tiles(in: layout)
                #expect(tiles.count <= 2 * layout.tileLevels(treeSize: n), "at most two tiles per level")
            }
            for old in 1...max(size, 1) where size > 0 {
                let plan = try ConsistencyProof.plan(oldSize: UInt64(old), newSize: n)
                let proof = try store.assemble(plan)
                #expect(proof == reference.consistencyProof(oldSize: old, newSize: size), "consistency \(old)→\(size)")
                #expect(proof.count == (try ConsistencyProof.length(oldSize: UInt64(old), newSize: n)))
                try ConsistencyProof.verify(oldSize: UInt64(old), newSize: n, oldRoot: reference.root(size: old),
                                            newRoot: store.tree.root, proof: proof)
                // The old root itself is readable from the current tiles.
                #expect(try TreeRoot.root(size: UInt64(old), treeSize: n, tiles: store.tiles(for: TreeRoot.plan(size: UInt64(old), treeSize: n)), layout: layout)
                        == reference.root(size: old))
            }
        }
    }

    /// Every tile present at `size` has the reference contents and the width the layout
    /// predicts, and every tile the layout says exists is present.
    func checkTiles(store: TileStore, reference: ReferenceTree, size: Int, layout: TileLayout) throws {
        var expected = 0
        for level in 0..<layout.tileLevels(treeSize: UInt64(size)) {
            var index = 0
            while let want = reference.tile(level: level, index: index, size: size, height: layout.height) {
                let id = TileID(level: UInt8(level), index: UInt64(index))
                let tile = try #require(store.tiles[id], "missing \(id) at size \(size)")
                #expect(tile.hashes == want, "\(id) at size \(size)")
                #expect(layout.width(of: id, treeSize: UInt64(size)) == want.count)
                expected += 1
                index += 1
            }
        }
        #expect(store.tiles.count == expected, "unexpected extra tiles at size \(size)")
    }
}
