import Foundation
import Testing
import VellumMerkle
import VellumTesting

/// The tiles and entry bundles of the shared trees (sizes 1 … 70,000) and the static
/// 1,000-entry log, reproduced byte for byte.
@Suite struct TileVectorTests {
    static func entries(for tree: TilesFile.Tree) throws -> [[UInt8]] {
        if tree.sequence.hasPrefix("leafN") { return (0..<Int(tree.tree_size)).map(leafN) }
        if tree.sequence.hasPrefix("records300") { return (0..<300).map { Array("record \($0)".utf8) } }
        // The remaining trees carry their bundles inline: read the entries back out of them.
        var entries: [[UInt8]] = []
        for bundle in tree.entry_bundles {
            entries += try EntryBundle(parsing: try #require(bundle.data)).entries
        }
        return entries
    }

    @Test(.enabled(if: Vectors.available)) func reproducesEveryTileAndBundle() throws {
        let file = try Vectors.load(TilesFile.self, from: "normalized/tiles.json")
        #expect(file.trees.count == 16)
        for tree in file.trees {
            let entries = try Self.entries(for: tree)
            #expect(entries.count == Int(tree.tree_size), "\(tree.name)")
            var store = TileStore()
            store.append(entries.map { RFC6962.leafHash($0) })
            #expect(store.tree.root == Hash(tree.root), "\(tree.name) root")
            // Exactly the tiles the vectors list exist, with the same bytes.
            #expect(store.tiles.count == tree.tiles.count, "\(tree.name) tile count")
            for vector in tree.tiles {
                let path = try TilePath(parsing: vector.path)
                #expect(path.kind == .hashes(level: UInt8(vector.level)) && path.index == vector.index && path.width == vector.width)
                let tile = try #require(store.tiles[TileID(level: UInt8(vector.level), index: vector.index)], "\(tree.name) \(vector.path)")
                let bytes = tile.hashes.concatenatedBytes
                #expect(tile.width == vector.width, "\(tree.name) \(vector.path)")
                #expect(RFC6962.sha256(of: bytes) == Hash(vector.sha256), "\(tree.name) \(vector.path)")
                if let data = vector.data { #expect(bytes == data, "\(tree.name) \(vector.path)") }
            }
            // Bundles: group the entries by 256 and encode.
            #expect(tree.entry_bundles.count == (entries.count + 255) / 256)
            for vector in tree.entry_bundles {
                let start = Int(vector.index) * 256
                let bundle = EntryBundle(entries: Array(entries[start..<min(start + 256, entries.count)]))
                #expect(try TilePath(entryIndex: UInt64(start), treeSize: tree.tree_size).description == vector.path)
                #expect(bundle.entries.count == vector.width)
                #expect(bundle.bytes.count == vector.size_bytes)
                #expect(RFC6962.sha256(of: bundle.bytes) == Hash(vector.sha256), "\(tree.name) \(vector.path)")
            }
        }
    }

    @Test(.enabled(if: Vectors.available)) func reproducesTheStaticLog() throws {
        var store = TileStore()
        let entries = (0..<1000).map(leafN)
        store.append(entries.map { RFC6962.leafHash($0) })
        var served = 0
        for tile in store.tiles.values {
            let path = try TilePath(address: tile.address)
            let file = try Vectors.data("normalized/static-log-1000/\(path)")
            #expect(file == tile.hashes.concatenatedBytes, "\(path)")
            served += 1
        }
        for bundleIndex in 0..<4 {
            let path = try TilePath(entryIndex: UInt64(bundleIndex * 256), treeSize: 1000)
            let file = try Vectors.data("normalized/static-log-1000/\(path)")
            let bundle = EntryBundle(entries: Array(entries[bundleIndex * 256..<min(bundleIndex * 256 + 256, 1000)]))
            #expect(file == Data(bundle.bytes), "\(path)")
            served += 1
        }
        #expect(served == 9)
        let checkpoint = try String(decoding: Vectors.data("normalized/static-log-1000/checkpoint"), as: UTF8.self)
        #expect(checkpoint.split(separator: "\n")[2] == Substring(store.tree.root.base64))
    }

    @Test func rightEdgeMatchesTheSpecExample() {
        // C2SP: size 70,000 → L0 partial width 112, L1 partial width 17, L2 partial width 1.
        let edge = TileLayout.c2sp.rightEdge(treeSize: 70_000)
        #expect(edge == [
            TileAddress(id: TileID(level: 0, index: 273), width: 112),
            TileAddress(id: TileID(level: 1, index: 1), width: 17),
            TileAddress(id: TileID(level: 2, index: 0), width: 1),
        ])
        #expect(TileLayout.c2sp.rightEdge(treeSize: 256) == [TileAddress(id: TileID(level: 1, index: 0), width: 1)])
        #expect(TileLayout.c2sp.rightEdge(treeSize: 0).isEmpty)
    }

    @Test func changedTilesMatchGoSumdbCountsAtHeightTen() throws {
        // golang.org/x/mod sumdb/tlog NewTiles(10, old, new) counts (extracted vectors).
        struct File: Decodable {
            struct Case: Decodable { let old: UInt64; let new: UInt64; let want_count: Int }
            let new_tiles_height10: [Case]
        }
        guard Vectors.available else { return }
        let file = try Vectors.load(File.self, from: "extracted/golang_mod_tlog.json")
        #expect(!file.new_tiles_height10.isEmpty)
        for vector in file.new_tiles_height10 {
            #expect(TileLayout(height: 10).changedTiles(from: vector.old, to: vector.new).count == vector.want_count,
                    "\(vector.old)→\(vector.new)")
        }
    }
}
