import VellumSync
import VellumMerkle
import VellumStorage

/// Assembles proofs from the store's tiles (plan, read once, assemble), keeping tiles in
/// memory in expanded form. A tile of a given width never changes (a full tile never again, a
/// partial one of width W is always the same W hashes), so the cache is keyed by tile and
/// width, and with the inner levels at hand a proof costs lookups instead of up to 255 node
/// hashes per tile.
final class ProofReader: Sendable {
    let storage: any TileStorage
    /// Expanded tiles kept at most (≤ 16 KiB each): 2048 ≈ 32 MiB, every level-0 tile of a
    /// half-million-entry log. Beyond that the cache starts over, so memory stays bounded.
    let capacity: Int
    private let cache = Locked<[TileAddress: ExpandedTile]>([:])

    init(storage: any TileStorage, capacity: Int = 2048) {
        self.storage = storage
        self.capacity = capacity
    }

    func assemble(_ plan: ProofPlan) throws -> [Hash] {
        // A few tiles per proof: an array searched linearly, not a dictionary per request.
        var tiles: [ExpandedTile] = []
        var missing: [TileAddress] = []
        let addresses = plan.tiles()
        tiles.reserveCapacity(addresses.count)
        cache.withLock { cache in
            for address in addresses {
                if let tile = cache[address] { tiles.append(tile) } else { missing.append(address) }
            }
        }
        if !missing.isEmpty {
            // The store may hold a wider version of a tile (a later batch): its first `width`
            // hashes are the tile as of this plan's tree size.
            let stored = Dictionary(try storage.tiles(missing.map(\.id)).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var read: [(TileAddress, ExpandedTile)] = []
            for address in missing {
                guard let tile = stored[address.id], tile.width >= address.width else { continue }
                let expanded = ExpandedTile(Tile(id: tile.id, hashes: Array(tile.hashes.prefix(address.width))))
                tiles.append(expanded)
                read.append((address, expanded))
            }
            cache.withLock { cache in
                if cache.count + read.count > capacity { cache.removeAll(keepingCapacity: true) }
                for (address, tile) in read { cache[address] = tile }
            }
        }
        return try plan.assemble { node throws(ProofError) -> Hash in
            let (id, range) = TileLayout.c2sp.location(of: node)
            guard let hash = tiles.first(where: { $0.id == id })?.root(of: range) else {
                throw .missingTile(TileAddress(id: id, width: range.upperBound))
            }
            return hash
        }
    }
}
