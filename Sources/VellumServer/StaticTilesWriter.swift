import VellumMerkle
import VellumNote
import VellumStorage

/// Writes the C2SP tlog-tiles read API of a checkpoint as static files (`vellum serve
/// --tiles-dir DIR`), so that any web server or CDN can serve it with no Vellum process in the
/// path: `DIR/tile/<L>/<N>[.p/<W>]`, `DIR/tile/entries/<N>[.p/<W>]` and `DIR/checkpoint`, the
/// same paths (`TilePath`) and bytes (`TileBytes`) as the server's own `TilesController`.
///
/// Order for each checkpoint, and what a crash after each step leaves behind:
/// 1. full hash tiles, full entry bundles, then partial tiles and partial bundles, each written
///    atomically (`StaticTilesDirectory.write`) — a crash leaves extra whole files that no
///    published checkpoint implies yet, and perhaps a temporary file; the published checkpoint
///    is the previous one, and all its files are there;
/// 2. every directory renamed into is fsynced — so the files of step 1 survive a power cut
///    before anything points at them;
/// 3. `DIR/checkpoint` replaced atomically, its directory fsynced — from here on clients see the
///    new tree, and every file it implies is durable;
/// 4. the `.p/` partial versions of tiles and bundles that are now full are removed (a client
///    with an older checkpoint that still asks for one gets 404 and, as tlog-tiles allows, falls
///    back to the full tile) — a crash here leaves some old partial files, which are harmless
///    and are removed at the next start's catch-up.
///
/// Full files that already exist are never rewritten: they are immutable. Partial files of
/// older widths stay until their tile is full (step 4), so a client that holds a slightly older
/// checkpoint still finds the widths it implies; at most 255 versions of one tile accumulate.
///
/// `DIR/checkpoint` never goes backwards: a directory holding a larger checkpoint of the same
/// log (another node sharing the directory got there first) keeps it, and one holding another
/// log's checkpoint is refused. (Two nodes replacing it at the same moment can still leave the
/// smaller of the two for a moment: the check and the rename are not one atomic step.)
///
/// Not for concurrent use: `StaticTilesPublisher` owns one on its thread.
struct StaticTilesWriter {
    static let checkpointFile = "checkpoint"
    /// Tiles read from the store per query during a catch-up.
    static let chunk = 64

    let storage: any TileStorage & EntryBundleStorage
    /// The log's checkpoint origin; a directory with another log's checkpoint is refused.
    let origin: String
    private(set) var directory: StaticTilesDirectory
    /// The size of the last checkpoint this writer published, all of whose files exist. Nil
    /// before the first: then every file the tree implies is checked (the start-up catch-up).
    private(set) var publishedSize: UInt64?

    /// What one `publish` did.
    struct Outcome: Sendable, CustomStringConvertible {
        var size: UInt64
        var written = 0
        var present = 0
        var removedPartials = 0
        var checkpointWritten = false

        var description: String {
            "size \(size): \(written) files written, \(present) already there, \(removedPartials) partial directories removed"
                + (checkpointWritten ? "" : ", checkpoint kept (the directory already has this size or a larger one)")
        }
    }

    struct ForeignDirectory: Error, CustomStringConvertible {
        let description: String
    }

    /// Opens (creating it if missing) the directory and checks that it holds no other log's
    /// checkpoint.
    init(storage: any TileStorage & EntryBundleStorage, origin: String, directory: String) throws {
        self.storage = storage
        self.origin = origin
        self.directory = try StaticTilesDirectory(root: directory)
        _ = try publishedCheckpoint()
    }

    /// The checkpoint in the directory, if any; throws if it is not this log's.
    func publishedCheckpoint() throws -> Checkpoint? {
        guard let bytes = try directory.read(Self.checkpointFile) else { return nil }
        let body: Checkpoint
        do {
            body = try Checkpoint(text: try Note(parsing: bytes).text)
        } catch {
            throw ForeignDirectory(description: "\(directory.path(Self.checkpointFile)) is not a checkpoint (\(error)); "
                                   + "give --tiles-dir an empty directory or this log's own")
        }
        guard body.origin == origin else {
            throw ForeignDirectory(description: "\(directory.path(Self.checkpointFile)) is the checkpoint of another log "
                                   + "(origin \"\(body.origin)\", this log's is \"\(origin)\"); give --tiles-dir an empty "
                                   + "directory or this log's own")
        }
        return body
    }

    /// Writes every file `checkpoint` implies that is missing, then the checkpoint (see the
    /// order above). The store may be ahead of `checkpoint`; only what it implies is written.
    mutating func publish(_ checkpoint: StoredCheckpoint) throws -> Outcome {
        var outcome = Outcome(size: checkpoint.size)
        if let publishedSize, publishedSize >= checkpoint.size { return outcome }
        // Every tile whose width changed since the last checkpoint published: the full ones
        // completed since, and the new partial one at each level. From 0 on the first call.
        let addresses = TileLayout.c2sp.changedTiles(from: publishedSize ?? 0, to: checkpoint.size)
        let full = addresses.filter { $0.width == TilePath.fullWidth }
        let partial = addresses.filter { $0.width < TilePath.fullWidth }
        var directories: Set<String> = []

        // 1. Immutable files first, then the partial ones.
        for group in [full, partial] {
            try writeHashTiles(group, directories: &directories, outcome: &outcome)
            try writeEntryBundles(group.filter { $0.id.level == 0 }, directories: &directories, outcome: &outcome)
        }
        // 2. Durable before anything points at them.
        for path in directories.sorted() { try directory.syncDirectory(path) }
        // 3. The checkpoint last, unless the directory already has this size or a larger one.
        if try publishedCheckpoint().map({ $0.size < checkpoint.size }) ?? true {
            let written = try directory.write(checkpoint.note, to: Self.checkpointFile)
            try directory.syncDirectory(written)
            outcome.checkpointWritten = true
        }
        // 4. Partial versions of what is now full (their checkpoints are superseded).
        for address in full {
            var paths = [try TilePath(address: address).description]
            if address.id.level == 0 { paths.append(try TilePath(entryBundle: address.id.index).description) }
            for path in paths where directory.exists(path + ".p") {
                try directory.removeTree(path + ".p")
                outcome.removedPartials += 1
            }
        }
        publishedSize = checkpoint.size
        return outcome
    }

    /// Writes the hash tiles at `addresses` that are missing, reading them from the store a
    /// chunk at a time.
    private mutating func writeHashTiles(_ addresses: [TileAddress], directories: inout Set<String>,
                                         outcome: inout Outcome) throws {
        var missing: [(address: TileAddress, path: String)] = []
        for address in addresses {
            let path = try TilePath(address: address).description
            if directory.exists(path) { outcome.present += 1 } else { missing.append((address, path)) }
        }
        for start in stride(from: 0, to: missing.count, by: Self.chunk) {
            let slice = missing[start..<min(start + Self.chunk, missing.count)]
            let tiles = Dictionary(try storage.tiles(slice.map(\.address.id)).map { ($0.id, $0) },
                                   uniquingKeysWith: { first, _ in first })
            for (address, path) in slice {
                guard let tile = tiles[address.id], let bytes = TileBytes.hashes(of: tile, width: address.width) else {
                    throw StorageError.corrupt("\(address) is implied by a signed checkpoint but not stored that wide")
                }
                directories.insert(try directory.write(bytes, to: path))
                outcome.written += 1
            }
        }
    }

    /// Writes the entry bundles of the level-0 tiles at `addresses` that are missing.
    private mutating func writeEntryBundles(_ addresses: [TileAddress], directories: inout Set<String>,
                                            outcome: inout Outcome) throws {
        for address in addresses {
            let path = try TilePath(entryBundle: address.id.index, width: address.width).description
            if directory.exists(path) {
                outcome.present += 1
                continue
            }
            guard let bundle = try storage.entryBundle(index: address.id.index),
                  let bytes = try TileBytes.entries(of: bundle, width: address.width) else {
                throw StorageError.corrupt("entry bundle \(address.id.index) is implied by a signed checkpoint "
                                           + "with \(address.width) entries but not stored with that many")
            }
            directories.insert(try directory.write(bytes, to: path))
            outcome.written += 1
        }
    }
}
