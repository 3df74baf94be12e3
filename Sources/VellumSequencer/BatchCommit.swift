import VellumMerkle
import VellumNote
import VellumStorage

/// An entry waiting in the pool, with the caller it answers.
struct PendingEntry: Sendable {
    let leaf: [UInt8]
    let leafHash: Hash
    let identity: Hash
    let searchKeys: [[UInt8]]
    let continuation: CheckedContinuation<SubmitOutcome, any Error>
}

/// One batch, from pool to durable commit. Runs on the sequencer's writer thread, never on
/// the actor, so the actor keeps filling the next pool while this one is written.
///
/// Commit order, and what a crash after each step leaves behind:
/// 1. indices are assigned and the leaf hashes integrated into a copy of the right edge
///    (memory only; a crash loses nothing that was acknowledged: nothing of this batch was);
/// 2. the changed tiles and entry bundles are computed (memory only, same);
/// 3. the new checkpoint is signed, after checking that the batch starts exactly from the
///    previous checkpoint's tree, so the two are consistent (memory only; a signature nobody
///    stored is harmless);
/// 4. ONE storage write: tiles, bundles, identity and search rows, tree state and checkpoint.
///    The store makes it atomic and durable (SQLite: one transaction, fsynced at COMMIT).
///    A crash before COMMIT returns leaves the old tree intact; after it, the new tree.
/// 5. proofs for every entry are built from the nodes the batch completed and verified
///    against the new checkpoint (memory only);
/// 6. the actor resumes the waiters: only now is any entry of the batch acknowledged. A crash
///    between 4 and 6 leaves entries that are durable but unacknowledged; their clients
///    retry and are told they are duplicates.
enum BatchCommit {
    struct Result: Sendable {
        var state: LogState
        var receipts: [Receipt]
    }

    static func run(entries: [PendingEntry], state: LogState, storage: any LogStorage,
                    configuration: SequencerConfiguration) throws -> Result {
        var tree = state.tree
        // The previous checkpoint must describe exactly the tree this batch extends.
        guard tree.size == state.checkpoint.size, tree.root == state.checkpoint.root else {
            throw SequencerError.inconsistentStorage("the in-memory tree does not match the last checkpoint")
        }
        let firstIndex = tree.size

        // 1. Integrate, keeping every node the batch completes plus the subtree roots it
        //    starts from: together they hold every node of the new entries' audit paths.
        var nodes: [NodeID: Hash] = Dictionary(uniqueKeysWithValues: zip(tree.range.rootIDs, tree.range.roots))
        nodes.reserveCapacity(entries.count * 2 + 64)
        let integration = tree.integrate(entries.lazy.map(\.leafHash)) { node, hash in nodes[node] = hash }

        // 2. Entry bundles: fill the open bundle, emit each one that fills up.
        var bundles: [(index: UInt64, bytes: [UInt8])] = []
        var open = state.openBundle
        var bundleIndex = firstIndex / 256
        var inBundle = Int(firstIndex % 256)
        for entry in entries {
            EntryBundle.append(entry.leaf, to: &open)
            inBundle += 1
            if inBundle == 256 {
                bundles.append((bundleIndex, open))
                open = []
                inBundle = 0
                bundleIndex += 1
            }
        }
        if inBundle > 0 { bundles.append((bundleIndex, open)) }

        // 3. Sign.
        let checkpoint = try LogState.sign(size: integration.size, root: integration.root,
                                           after: state.checkpoint, configuration: configuration)

        // 4. One durable write.
        try storage.write { tx in
            for tile in integration.tiles { try tx.putTile(tile) }
            for bundle in bundles { try tx.putEntryBundle(index: bundle.index, bytes: bundle.bytes) }
            for (offset, entry) in entries.enumerated() {
                try tx.putIdentity(entry.identity, index: firstIndex + UInt64(offset))
                for key in entry.searchKeys { try tx.putSearchKey(key, index: firstIndex + UInt64(offset)) }
            }
            try tx.putTreeState(TreeState(size: integration.size, root: integration.root))
            try tx.putCheckpoint(StoredCheckpoint(size: checkpoint.size, root: checkpoint.root,
                                                  note: Array(checkpoint.note.utf8), signedAt: checkpoint.signedAt))
        }

        // 5. Proofs, each verified before it leaves.
        var receipts: [Receipt] = []
        receipts.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() {
            let index = firstIndex + UInt64(offset)
            let plan = try InclusionProof.plan(leafIndex: index, treeSize: integration.size)
            let proof = try plan.assemble { node throws(ProofError) -> Hash in
                guard let hash = nodes[node] else { throw .missingTile(TileAddress(id: TileID(level: node.level, index: node.index), width: 0)) }
                return hash
            }
            try InclusionProof.verify(leafIndex: index, treeSize: integration.size, leafHash: entry.leafHash,
                                      proof: proof, root: integration.root)
            receipts.append(Receipt(index: index, integratedTime: checkpoint.signedAt / 1000,
                                    checkpoint: checkpoint, inclusionProof: proof))
        }
        let next = LogState(tree: tree, openBundle: inBundle > 0 ? open : [], checkpoint: checkpoint)
        return Result(state: next, receipts: receipts)
    }
}
