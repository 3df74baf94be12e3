import Foundation
import Testing
import VellumMerkle
import VellumStorage
@testable import VellumSQLite

@Suite struct WALCheckpointTests {
    /// The checkpointer thread, not the writer, copies the WAL into the database once it
    /// passes the threshold, and finishes so that the WAL starts over: its file never grows far
    /// past the threshold (without the checkpointer it would reach the writer's backstop, 16
    /// times the threshold). Everything written is there after reopening.
    @Test func theCheckpointerKeepsTheWALNearItsThresholdAndLosesNothing() throws {
        try withDatabasePath { path in
            var configuration = SQLiteConfiguration()
            configuration.pageSizeBytes = 4096
            configuration.walAutocheckpointBytes = 16 * 4096
            let tiles = (0..<300).map { index in
                Tile(id: TileID(level: 0, index: UInt64(index)),
                     hashes: (0..<256).map { RFC6962.leafHash([UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)]) })
            }
            var largestWAL = 0
            do {
                let store = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
                let pageSize = try #require(Int(try SQLiteConnection(path: path, mode: .readOnly).pragma("page_size") ?? ""))
                #expect(pageSize == 4096)
                for tile in tiles {
                    // One 8 KiB tile: about three WAL frames per commit.
                    try store.write { tx in try tx.putTile(tile) }
                    store.waitForCheckpoints()
                    let walBytes = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
                    largestWAL = max(largestWAL, (walBytes - 32) / (pageSize + 24))
                }
            }
            #expect(largestWAL > 0)
            #expect(largestWAL <= 3 * 16, "the WAL reached \(largestWAL) frames")
            let reopened = try SQLiteLogStorage(path: path, readers: 1, configuration: configuration)
            #expect(try reopened.tiles(tiles.map(\.id)) == tiles)
        }
    }
}
