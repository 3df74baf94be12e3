import VellumMerkle
import VellumNote
import VellumStorage

/// An entry waiting in the pool, with the caller it answers.
struct PendingEntry: Sendable {
    let leaf: [UInt8]
    let leafHash: Hash
    let identity: Hash
    let searchKeys: [[UInt8]]
    /// Bytes stored beside the entry by its index, outside the tree (nil: none).
    let attachment: [UInt8]?
    let continuation: CheckedContinuation<PoolOutcome, any Error>
}

/// A batch committed on the writer thread, waiting for the sync that makes it durable.
struct CommittedWrite: Sendable {
    let entries: [PendingEntry]
    let result: BatchCommit.Result
    /// When its commit began, for the batch report.
    let started: ContinuousClock.Instant
}

/// What the actor tells a waiting submitter.
enum PoolOutcome: Sendable {
    /// Its entry is durable at `index` in `batch`; the submitter builds its own receipt.
    case committed(CommittedBatch, index: UInt64)
    /// An entry with the same identity is in the log at `index`.
    case duplicate(index: UInt64)
}

/// A durable batch, shared by its submitters: each builds and verifies its own inclusion
/// proof from `nodes` on its own task, so proof work spreads over every core instead of
/// holding up the writer thread. Immutable once made.
final class CommittedBatch: Sendable {
    let checkpoint: SignedCheckpoint
    /// Every node the batch completed, plus the subtree roots it started from: together they
    /// hold every node of the batch's audit paths in `checkpoint`.
    let nodes: BatchNodes
    /// Verifies the batch's proofs, hashing only what earlier receipts of the batch did not.
    let verifier: SharedPathVerifier

    init(checkpoint: SignedCheckpoint, nodes: BatchNodes) {
        self.checkpoint = checkpoint
        self.nodes = nodes
        verifier = SharedPathVerifier(treeSize: checkpoint.size, root: checkpoint.root, leaves: nodes.start..<checkpoint.size)
    }

    /// The receipt of the entry at `index` with `leafHash`, its proof verified first.
    func receipt(index: UInt64, leafHash: Hash) throws -> Receipt {
        let size = checkpoint.size
        let plan = try InclusionProof.plan(leafIndex: index, treeSize: size)
        let proof = try plan.assemble { node throws(ProofError) -> Hash in
            guard let hash = nodes[node] else {
                throw .missingTile(TileAddress(id: TileID(level: node.level, index: node.index), width: 0))
            }
            return hash
        }
        try verifier.verify(leafIndex: index, leafHash: leafHash, proof: proof)
        return Receipt(index: index, integratedTime: checkpoint.signedAt / 1000, checkpoint: checkpoint, inclusionProof: proof)
    }
}

/// One batch, from pool to durable commit. Runs on the sequencer's writer thread, never on
/// the actor, so the actor keeps filling the next pool while this one is written.
///
/// Everything happens inside ONE storage commit (SQLite: one transaction), so a crash at any
/// step before COMMIT returns leaves the old tree intact, and after it the new one. In order:
/// 1. each entry's identity is recorded unless the log already has it (one index lookup per
///    entry, inside the transaction, so no concurrent batch can slip a duplicate in); entries
///    already logged leave the batch as duplicates, the rest get consecutive indices;
/// 2. their leaf hashes are integrated into a copy of the right edge, and the changed tiles
///    and entry bundles computed (memory only);
/// 3. the new checkpoint is signed, after checking that the batch starts exactly from the
///    previous checkpoint's tree, so the two are consistent (a signature nobody stored is
///    harmless);
/// 4. tiles, bundles, search rows, attachments, tree state and checkpoint are written, and the transaction
///    commits: visible, kept by a process crash, but not yet fsynced. The next batch may now
///    be written on top of it;
/// 5. the store syncs (fsync of the WAL, on the sequencer's syncer thread), which makes this
///    batch and every one committed before it durable. A power cut or OS crash before this
///    returns may roll back this batch and every later one, never an earlier one: none of
///    them was acknowledged or published yet, so nothing anyone saw is lost;
/// 6. the actor resumes the waiters, each of which builds its proof from the nodes the batch
///    completed and verifies it against the new checkpoint: only then is an entry
///    acknowledged, and only then does the batch's checkpoint become the one the server
///    publishes. A crash between 5 and 6 leaves entries that are durable but
///    unacknowledged; their clients retry and are told they are duplicates.
enum BatchCommit {
    struct Result: Sendable {
        /// The state after the batch (unchanged when every entry was a duplicate).
        var state: LogState
        /// The new entries' batch, nil when there were none.
        var batch: CommittedBatch?
        /// Per pool entry: its index in the log, and whether it was already there.
        var outcomes: [(index: UInt64, duplicate: Bool)]
    }

    static func run(entries: [PendingEntry], state: LogState, storage: any LogStorage,
                    configuration: SequencerConfiguration) throws -> Result {
        var result: Result?
        try storage.commit { tx in
            result = try run(entries: entries, state: state, tx: tx, configuration: configuration)
        }
        guard let result else { throw SequencerError.batchFailed("the store did not run the batch") }
        return result
    }

    private static func run(entries: [PendingEntry], state: LogState, tx: any LogWriteTransaction,
                            configuration: SequencerConfiguration) throws -> Result {
        var tree = state.tree
        // The previous checkpoint must describe exactly the tree this batch extends.
        guard tree.size == state.checkpoint.size, tree.root == state.checkpoint.root else {
            throw SequencerError.inconsistentStorage("the in-memory tree does not match the last checkpoint")
        }
        let firstIndex = tree.size

        // 1. Deduplicate against the log while recording identities.
        var outcomes: [(index: UInt64, duplicate: Bool)] = []
        outcomes.reserveCapacity(entries.count)
        // Positions in `entries` of those new to the log (not copies: each entry holds three
        // references, and copying thousands per batch showed up in profiles).
        var fresh: [Int] = []
        fresh.reserveCapacity(entries.count)
        let existing = try tx.putIdentitiesIfAbsent(entries.map(\.identity), firstIndex: firstIndex)
        for position in entries.indices {
            if let existing = existing[position] {
                outcomes.append((existing, true))
            } else {
                outcomes.append((firstIndex + UInt64(fresh.count), false))
                fresh.append(position)
            }
        }
        guard !fresh.isEmpty else { return Result(state: state, batch: nil, outcomes: outcomes) }

        // 2. Integrate, keeping every node the batch completes plus the subtree roots it
        //    starts from: together they hold every node of the new entries' audit paths.
        var nodes = BatchNodes(start: firstIndex)
        for (node, hash) in zip(tree.range.rootIDs, tree.range.roots) { nodes.set(node, hash) }
        let integration = tree.integrate(fresh.lazy.map { entries[$0].leafHash }) { node, hash in nodes.set(node, hash) }

        //    Entry bundles: fill the open bundle, emit each one that fills up.
        var bundles: [(index: UInt64, bytes: [UInt8])] = []
        var open = state.openBundle
        var bundleIndex = firstIndex / 256
        var inBundle = Int(firstIndex % 256)
        for position in fresh {
            EntryBundle.append(entries[position].leaf, to: &open)
            inBundle += 1
            if inBundle == 256 {
                bundles.append((bundleIndex, open))
                open = []
                open.reserveCapacity(256 * (entries[position].leaf.count + 2))
                inBundle = 0
                bundleIndex += 1
            }
        }
        if inBundle > 0 { bundles.append((bundleIndex, open)) }

        // 3. Sign.
        let checkpoint = try LogState.sign(size: integration.size, root: integration.root,
                                           after: state.checkpoint, configuration: configuration)

        // 4. Write the rest; the caller's `storage.write` commits.
        for tile in integration.tiles { try tx.putTile(tile) }
        for bundle in bundles { try tx.putEntryBundle(index: bundle.index, bytes: bundle.bytes) }
        for (offset, position) in fresh.enumerated() {
            let index = firstIndex + UInt64(offset)
            for key in entries[position].searchKeys { try tx.putSearchKey(key, index: index) }
            if let attachment = entries[position].attachment { try tx.putAttachment(attachment, index: index) }
        }
        try tx.putTreeState(TreeState(size: integration.size, root: integration.root))
        try tx.putCheckpoint(StoredCheckpoint(size: checkpoint.size, root: checkpoint.root,
                                              note: Array(checkpoint.note.utf8), signedAt: checkpoint.signedAt))

        let next = LogState(tree: tree, openBundle: inBundle > 0 ? open : [], checkpoint: checkpoint)
        return Result(state: next, batch: CommittedBatch(checkpoint: checkpoint, nodes: nodes), outcomes: outcomes)
    }
}
