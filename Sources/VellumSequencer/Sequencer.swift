import Dispatch
import Logging
import VellumMerkle
import VellumNote
import VellumStorage
import VellumSync

/// The write path: entries go into a pool, leave it in batches, and each batch is integrated,
/// signed and committed in one durable storage write before any of its entries is
/// acknowledged (see `BatchCommit` for the commit order and what a crash leaves behind).
///
/// Knows nothing about entry kinds: it gets opaque leaf bytes, an identity hash for strict
/// deduplication and optional search keys. One batch is committed at a time, on a dedicated
/// writer thread; its fsync runs on a second thread (the syncer), so the next batch is written
/// while the previous one reaches the disk, and one fsync covers every batch committed before
/// it. Meanwhile the actor keeps filling the next pool, so under load every batch takes
/// everything that arrived during the previous one (group commit).
public actor Sequencer {
    // Owned by the actor; handed (as a copy) to the writer thread for one batch at a time and
    // replaced by the writer's result, or reloaded from storage when a batch fails.
    var state: LogState
    /// Entries waiting for the next batch, oldest first.
    var pool: [PendingEntry] = []
    /// Callers waiting on an entry with the same identity as one in the pool or in flight.
    var duplicateWaiters: [Hash: [CheckedContinuation<PoolOutcome, any Error>]] = [:]
    /// Identities in the pool or in the batch being written. (Identities already in the log
    /// are found by the batch itself, inside its write transaction.)
    var pendingIdentities: Set<Hash> = []
    /// A batch is being committed on the writer thread.
    var writing = false
    /// Committed batches waiting for a sync, oldest first; and whether one is running.
    var unsynced: [CommittedWrite] = []
    var syncing = false
    /// Set when a sync failed: nothing committed after that may be acknowledged.
    var syncFailure: SequencerError?
    var accepting = true
    var flushTask: Task<Void, Never>?
    /// When the oldest entry in the pool arrived (nil while the pool is empty).
    var poolOpened: ContinuousClock.Instant?
    var idleWaiters: [CheckedContinuation<Void, Never>] = []

    let storage: any LogStorage
    let verifiers: [any NoteVerifier]
    public nonisolated let configuration: SequencerConfiguration
    let writer = DispatchQueue(label: "vellum.sequencer.writer")
    let syncer = DispatchQueue(label: "vellum.sequencer.syncer")
    let logger: Logger

    /// Opens the log in `storage`, after checking that the stored state, tiles and latest
    /// checkpoint agree (with `verifiers`, the checkpoint's signature too). Throws
    /// `SequencerError.inconsistentStorage` saying what disagrees.
    public init(storage: any LogStorage, configuration: SequencerConfiguration,
                verifiers: [any NoteVerifier] = [], logger: Logger = Logger(label: "vellum.sequencer")) throws {
        self.storage = storage
        self.configuration = configuration
        self.verifiers = verifiers
        self.logger = logger
        self.state = try LogState.load(storage: storage, configuration: configuration, verifiers: verifiers)
        self.initialCheckpoint = state.checkpoint
    }

    /// The checkpoint the sequencer started from (the stored latest, checked, or the new log's
    /// signed empty tree).
    public nonisolated let initialCheckpoint: SignedCheckpoint

    /// The latest signed checkpoint.
    public var checkpoint: SignedCheckpoint { state.checkpoint }

    /// Logs `leaf` unless an entry with `identity` is already in the log (or on its way in).
    /// Returns once the batch holding it is durable, with a verified receipt, or tells the
    /// caller which entry it duplicates. Fails at once with `poolFull` when the pool is full.
    public nonisolated func submit(leaf: [UInt8], identity: Hash, searchKeys: [[UInt8]] = [],
                                   attachment: [UInt8]? = nil) async throws -> SubmitOutcome {
        // The leaf hash, and later the proof, run on the caller's task, not on the actor.
        try await submit(LogLeaf(leaf), identity: identity, searchKeys: searchKeys, attachment: attachment)
    }

    /// `submit(leaf:identity:searchKeys:attachment:)` for a leaf whose hash the caller already has.
    /// - Parameter attachment: bytes the store keeps beside the entry, by its index, committed
    ///   with it (an intoto statement); not part of the leaf. A duplicate's is dropped.
    public nonisolated func submit(_ leaf: LogLeaf, identity: Hash, searchKeys: [[UInt8]] = [],
                                   attachment: [UInt8]? = nil) async throws -> SubmitOutcome {
        guard leaf.bytes.count <= configuration.maxEntrySize else {
            throw SequencerError.entryTooLarge(size: leaf.bytes.count, limit: configuration.maxEntrySize)
        }
        switch try await enqueue(leaf: leaf.bytes, leafHash: leaf.hash, identity: identity, searchKeys: searchKeys,
                                 attachment: attachment) {
        case .committed(let batch, let index):
            return .added(try batch.receipt(index: index, leafHash: leaf.hash))
        case .duplicate(let index):
            return .duplicate(index: index)
        }
    }

    func enqueue(leaf: [UInt8], leafHash: Hash, identity: Hash, searchKeys: [[UInt8]],
                 attachment: [UInt8]?) async throws -> PoolOutcome {
        guard accepting else { throw SequencerError.shuttingDown }
        if pendingIdentities.contains(identity) {
            return try await withCheckedThrowingContinuation { duplicateWaiters[identity, default: []].append($0) }
        }
        guard pool.count < configuration.maxPoolSize else { throw SequencerError.poolFull(capacity: configuration.maxPoolSize) }
        return try await withCheckedThrowingContinuation { continuation in
            if pool.isEmpty { poolOpened = .now }
            pool.append(PendingEntry(leaf: leaf, leafHash: leafHash, identity: identity,
                                     searchKeys: searchKeys, attachment: attachment, continuation: continuation))
            pendingIdentities.insert(identity)
            scheduleBatch()
        }
    }

    /// Starts a batch now if one is due, or arms the age timer.
    ///
    /// The age is also checked here, on every arrival, not only by the timer: under load the
    /// timer's wake-up waits in line behind the submitters released by the previous batch,
    /// and by the time it ran every submitter had come back, so each batch took all of them
    /// and the writer idled in between (batches of 8,000 with 55 ms gaps at the peak).
    func scheduleBatch() {
        guard !writing, !pool.isEmpty else { return }
        if pool.count >= configuration.maxBatchSize || configuration.maxBatchAge <= .zero || !accepting
            || poolOpened.map({ ContinuousClock.now - $0 >= configuration.maxBatchAge }) ?? true {
            startBatch()
        } else if flushTask == nil {
            let age = configuration.maxBatchAge
            // Isolated to the actor (it captures `self`), so waking needs no second hop. A
            // cancelled timer (its batch started early) leaves everything alone.
            flushTask = Task { [self] in
                do { try await Task.sleep(for: age) } catch { return }
                ageReached()
            }
        }
    }

    func ageReached() {
        flushTask = nil
        if !writing && !pool.isEmpty { startBatch() }
    }

    func startBatch() {
        flushTask?.cancel()
        flushTask = nil
        writing = true
        let batch: [PendingEntry]
        if pool.count <= configuration.maxBatchSize {
            // The usual case: take the whole pool without copying (and retaining) each entry.
            batch = pool
            pool = []
            poolOpened = nil
        } else {
            batch = Array(pool.prefix(configuration.maxBatchSize))
            pool.removeFirst(configuration.maxBatchSize)
            // (Counted from now, so their batch may close up to one age later than due.)
            poolOpened = .now
        }
        let state = self.state
        let storage = self.storage
        let configuration = self.configuration
        let writer = self.writer
        Task {
            let started = ContinuousClock.now
            let result: Result<BatchCommit.Result, any Error> = await writer.run {
                Result { try BatchCommit.run(entries: batch, state: state, storage: storage, configuration: configuration) }
            }
            self.finish(batch: batch, result: result, duration: ContinuousClock.now - started)
        }
    }

    /// A batch left the writer thread: committed (not yet durable) or failed.
    func finish(batch: [PendingEntry], result: Result<BatchCommit.Result, any Error>, duration: Duration) {
        switch result {
        case .success(let committed):
            // The next batch builds on this one at once; its waiters wait for the sync.
            state = committed.state
            if let syncFailure {
                fail(batch, with: syncFailure)
            } else {
                unsynced.append(CommittedWrite(entries: batch, result: committed, started: ContinuousClock.now - duration))
                startSync()
            }
        case .failure(let error):
            logger.error("batch of \(batch.count) entries failed; reloading the log state", metadata: ["error": "\(error)"])
            fail(batch, with: SequencerError.batchFailed("\(error)"))
            reload()
        }
        writing = false
        if !pool.isEmpty {
            // Whatever arrived during the write goes out at once: group commit.
            startBatch()
        }
        resumeIdleWaitersIfIdle()
    }

    /// Syncs every batch committed so far, unless a sync is already running (the batches
    /// committed meanwhile then wait for the next one).
    func startSync() {
        guard !syncing, !unsynced.isEmpty else { return }
        syncing = true
        let group = unsynced
        unsynced = []
        let storage = self.storage
        let syncer = self.syncer
        Task {
            let result: Result<Void, any Error> = await syncer.run { Result { try storage.sync() } }
            self.synced(group, result: result)
        }
    }

    /// `group` is durable (or its sync failed): acknowledge its entries, in commit order.
    func synced(_ group: [CommittedWrite], result: Result<Void, any Error>) {
        syncing = false
        switch result {
        case .success:
            for write in group { acknowledge(write) }
            startSync()
        case .failure(let error):
            // What was committed may or may not be on the disk, and the batches committed
            // since were built on it: acknowledge nothing more, and refuse new entries. The
            // start-up check after a restart decides what the log holds.
            logger.critical("syncing the store failed; failing every unacknowledged entry and refusing new ones",
                            metadata: ["error": "\(error)"])
            let failure = SequencerError.batchFailed("the store could not make the batch durable: \(error)")
            syncFailure = failure
            accepting = false
            for write in group + unsynced { fail(write.entries, with: failure) }
            unsynced = []
            fail(pool, with: failure)
            pool = []
        }
        resumeIdleWaitersIfIdle()
    }

    /// Resumes the waiters of a durable batch and reports it.
    func acknowledge(_ write: CommittedWrite) {
        let committed = write.result
        configuration.onBatchCommitted?(BatchReport(entries: write.entries.count, checkpoint: committed.state.checkpoint,
                                                    duration: ContinuousClock.now - write.started))
        for (entry, outcome) in zip(write.entries, committed.outcomes) {
            pendingIdentities.remove(entry.identity)
            if let newBatch = committed.batch, !outcome.duplicate {
                entry.continuation.resume(returning: .committed(newBatch, index: outcome.index))
            } else {
                entry.continuation.resume(returning: .duplicate(index: outcome.index))
            }
            // (Almost always empty: skip hashing the identity a second time.)
            guard !duplicateWaiters.isEmpty else { continue }
            for waiter in duplicateWaiters.removeValue(forKey: entry.identity) ?? [] {
                waiter.resume(returning: .duplicate(index: outcome.index))
            }
        }
    }

    /// Fails `entries` and everyone waiting on their identities.
    func fail(_ entries: [PendingEntry], with failure: SequencerError) {
        for entry in entries {
            pendingIdentities.remove(entry.identity)
            entry.continuation.resume(throwing: failure)
            for waiter in duplicateWaiters.removeValue(forKey: entry.identity) ?? [] { waiter.resume(throwing: failure) }
        }
    }

    var idle: Bool { !writing && !syncing && unsynced.isEmpty && pool.isEmpty }

    func resumeIdleWaitersIfIdle() {
        guard !accepting, idle else { return }
        idleWaiters.forEach { $0.resume() }
        idleWaiters = []
    }

    /// After a failed batch the in-memory state may be ahead of storage (or, if the commit
    /// happened but reported failure, behind it): rebuild it from what is stored.
    func reload() {
        do {
            state = try LogState.load(storage: storage, configuration: configuration, verifiers: verifiers)
        } catch {
            logger.critical("cannot reload the log state after a failed batch; refusing new entries", metadata: ["error": "\(error)"])
            accepting = false
            fail(pool, with: SequencerError.batchFailed("log state unavailable: \(error)"))
            pool = []
        }
    }

    /// Stops taking entries, commits (or fails) everything pending, and returns when nothing
    /// is left waiting.
    public func shutdown() async {
        accepting = false
        if !writing && !pool.isEmpty { startBatch() }
        if !idle {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
    }
}
