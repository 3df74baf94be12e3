import Foundation
import Testing
import VellumMerkle
import VellumSQLite
import VellumStorage
import VellumTesting

@Suite struct SQLiteLogStorageTests {
    @Test(arguments: StorageConformance.checks.map(\.name))
    func passesTheStorageConformanceSuite(check: String) throws {
        let run = try #require(StorageConformance.checks.first { $0.name == check }?.run)
        try withDatabasePath { path in try run(SQLiteLogStorage(path: path, readers: 2)) }
    }

    @Test func committedDataSurvivesReopening() throws {
        try withDatabasePath { path in
            let tile = Tile(id: TileID(level: 0, index: 0), hashes: [RFC6962.leafHash([1]), RFC6962.leafHash([2])])
            do {
                let store = try SQLiteLogStorage(path: path, readers: 1)
                try store.write { tx in
                    try tx.putTile(tile)
                    try tx.putTreeState(TreeState(size: 2, root: RFC6962.nodeHash(left: tile.hashes[0], right: tile.hashes[1])))
                }
            }
            let reopened = try SQLiteLogStorage(path: path, readers: 1)
            #expect(try reopened.tiles([tile.id]) == [tile])
            #expect(try reopened.treeState().size == 2)
        }
    }

    @Test func storesOneRowPerTileAndBundle() throws {
        try withDatabasePath { path in
            let store = try SQLiteLogStorage(path: path, readers: 1)
            var tree = TiledTree()
            for batch in 0..<10 {
                let integration = tree.integrate((0..<100).map { RFC6962.leafHash(Array("e\(batch * 100 + $0)".utf8)) })
                try store.write { tx in for tile in integration.tiles { try tx.putTile(tile) } }
            }
            // 1000 leaves: level-0 tiles 0...3 (3 full, 1 partial) and one level-1 tile.
            let rows = try SQLiteConnection.openReader(path: path).withStatement("SELECT count(*) FROM tiles") { s in
                _ = try s.step()
                return s.int64(at: 0)
            }
            #expect(rows == 5)
            let stored = try store.tiles(TileLayout.c2sp.rightEdge(treeSize: 1000).map(\.id))
            #expect(stored.map(\.width) == [232, 3])
        }
    }
}
