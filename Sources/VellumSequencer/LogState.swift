import VellumMerkle
import VellumNote
import VellumStorage

/// What the sequencer keeps in memory between batches: the right edge of the tree, the open
/// (partial) entry bundle and the latest signed checkpoint. Everything here can be rebuilt from
/// storage, which `load` does at start-up and after a failed batch.
struct LogState: Sendable {
    var tree: TiledTree
    /// Bytes of bundle `tree.size / 256` while it is partial; empty when the size is a
    /// multiple of 256.
    var openBundle: [UInt8]
    var checkpoint: SignedCheckpoint

    /// Loads and cross-checks the stored log: the tree state, the right-edge tiles (root
    /// recomputed from them), the open bundle (its entries must hash to the partial level-0
    /// tile) and the latest checkpoint (same size and root; signature checked when verifiers
    /// are given). A new log gets a signed checkpoint of the empty tree.
    static func load(storage: any LogStorage, configuration: SequencerConfiguration,
                     verifiers: [any NoteVerifier]) throws -> LogState {
        func inconsistent(_ reason: String) -> SequencerError { .inconsistentStorage(reason) }
        let state = try storage.treeState()
        let layout = TileLayout.c2sp
        let edge = layout.rightEdge(treeSize: state.size)
        let stored = try storage.tiles(edge.map(\.id))
        let byID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var tiles: [Tile] = []
        for address in edge {
            guard let tile = byID[address.id] else {
                throw inconsistent("tree state says size \(state.size) but \(address) is missing")
            }
            guard tile.width == address.width else {
                throw inconsistent("tree state says size \(state.size) but \(address.id) has width \(tile.width), not \(address.width)")
            }
            tiles.append(tile)
        }
        let tree: TiledTree
        do {
            tree = try TiledTree(layout: layout, size: state.size, rightEdgeTiles: tiles)
        } catch {
            throw inconsistent("right-edge tiles do not rebuild the tree: \(error)")
        }
        guard tree.root == state.root else {
            throw inconsistent("stored root \(state.root) but the tiles hash to \(tree.root) at size \(state.size)")
        }
        var openBundle: [UInt8] = []
        let inBundle = Int(state.size % 256)
        if inBundle > 0 {
            guard let bytes = try storage.entryBundle(index: state.size / 256) else {
                throw inconsistent("entry bundle \(state.size / 256) is missing at size \(state.size)")
            }
            let bundle = try EntryBundle(parsing: bytes)
            let level0 = byID[TileID(level: 0, index: state.size / 256)]!
            guard bundle.entries.count == inBundle,
                  bundle.entries.map({ RFC6962.leafHash($0) }) == level0.hashes else {
                throw inconsistent("entry bundle \(state.size / 256) does not match level-0 tile \(state.size / 256)")
            }
            openBundle = bytes
        }
        let checkpoint: SignedCheckpoint
        if let stored = try storage.latestCheckpoint() {
            guard stored.size == state.size, stored.root == state.root else {
                throw inconsistent("latest checkpoint is (\(stored.size), \(stored.root)) but the tree is (\(state.size), \(state.root))")
            }
            let note = String(decoding: stored.note, as: UTF8.self)
            if !verifiers.isEmpty {
                do {
                    let opened = try Checkpoint.open(note, verifiers: verifiers)
                    guard opened.checkpoint.size == stored.size, opened.checkpoint.root == stored.root else {
                        throw inconsistent("the latest checkpoint's signed body does not match its size and root")
                    }
                } catch let error as SequencerError {
                    throw error
                } catch {
                    throw inconsistent("the latest checkpoint does not verify: \(error)")
                }
            }
            checkpoint = SignedCheckpoint(size: stored.size, root: stored.root, note: note, signedAt: stored.signedAt)
        } else {
            guard state.size == 0 else { throw inconsistent("tree of size \(state.size) has no signed checkpoint") }
            // A new log: sign the empty tree so that readers have a checkpoint from the start.
            let signed = try sign(size: 0, root: tree.root, after: nil, configuration: configuration)
            try storage.write { tx in
                try tx.putTreeState(.empty)
                try tx.putCheckpoint(StoredCheckpoint(size: 0, root: signed.root, note: Array(signed.note.utf8), signedAt: signed.signedAt))
            }
            checkpoint = signed
        }
        return LogState(tree: tree, openBundle: openBundle, checkpoint: checkpoint)
    }

    /// Signs the checkpoint body for (size, root) with every configured key. The time never
    /// goes backwards, even if the wall clock does.
    static func sign(size: UInt64, root: Hash, after previous: SignedCheckpoint?,
                     configuration: SequencerConfiguration) throws -> SignedCheckpoint {
        let body = try Checkpoint(origin: configuration.origin, size: size, root: root)
        let note = try body.sign(signers: configuration.signers)
        let now = max(configuration.clock(), previous?.signedAt ?? 0)
        return SignedCheckpoint(size: size, root: root, note: note, signedAt: now)
    }
}
