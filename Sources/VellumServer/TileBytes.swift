import VellumMerkle
import VellumStorage

/// The bytes of a tlog-tiles resource, cut from what the store holds. One place for both
/// readers of it: the HTTP API (`TilesController`) and the static files (`StaticTilesWriter`),
/// so that a file under `--tiles-dir` is byte for byte what the server answers at its path.
///
/// The store keeps one version per tile and bundle, the newest, which may be wider than the
/// checkpoint being served needs; a narrower version is always a prefix of it (tlog-tiles,
/// spec notes §1.3), so the first `width` hashes or entries are the resource.
enum TileBytes {
    /// The first `width` hashes of `tile`, concatenated; nil when the stored version is narrower.
    static func hashes(of tile: Tile, width: Int) -> [UInt8]? {
        guard tile.width >= width else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32 * width)
        for hash in tile.hashes.prefix(width) { hash.withUnsafeBytes { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// The first `width` entries of entry-bundle bytes; nil when the bundle holds fewer.
    static func entries(of bundle: [UInt8], width: Int) throws(EntryBundleError) -> [UInt8]? {
        guard let end = try EntryBundle.end(ofFirst: width, in: bundle) else { return nil }
        return Array(bundle[..<end])
    }
}
