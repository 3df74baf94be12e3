import Synchronization
import VellumMerkle
import VellumSQLite

/// Assembles proofs from the store's tiles (plan, read once, assemble), keeping the expanded
/// form of full tiles in memory: full tiles never change, and with their inner levels at hand
/// a proof costs lookups instead of up to 255 node hashes per tile. Partial tiles are read
/// from the store every time (they grow with each batch).
final class ProofReader: Sendable {
    let storage: SQLiteLogStorage
    /// Expanded full tiles kept at most (16 KiB each): 2048 ≈ 32 MiB, every level-0 tile of a
    /// half-million-entry log. Beyond that the cache starts over, so memory stays bounded.
    let capacity: Int
    private let cache = Mutex<[TileID: ExpandedTile]>([:])

    init(storage: SQLiteLogStorage, capacity: Int = 2048) {
        self.storage = storage
        self.capacity = capacity
    }

    func assemble(_ plan: ProofPlan) throws -> [Hash] {
        var tiles: [TileID: ExpandedTile] = [:]
        var missing: [TileID] = []
        let addresses = plan.tiles()
        cache.withLock { cache in
            for address in addresses {
                if address.width == TilePath.fullWidth, let tile = cache[address.id] {
                    tiles[address.id] = tile
                } else {
                    missing.append(address.id)
                }
            }
        }
        if !missing.isEmpty {
            let read = try storage.tiles(missing).map(ExpandedTile.init)
            for tile in read { tiles[tile.id] = tile }
            let full = read.filter { $0.width == TilePath.fullWidth }
            if !full.isEmpty {
                cache.withLock { cache in
                    if cache.count + full.count > capacity { cache.removeAll(keepingCapacity: true) }
                    for tile in full { cache[tile.id] = tile }
                }
            }
        }
        return try plan.assemble { node throws(ProofError) -> Hash in
            let (id, range) = TileLayout.c2sp.location(of: node)
            guard let hash = tiles[id]?.root(of: range) else {
                throw .missingTile(TileAddress(id: id, width: range.upperBound))
            }
            return hash
        }
    }
}
