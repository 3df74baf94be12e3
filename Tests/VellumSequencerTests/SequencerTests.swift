import Testing
import VellumMerkle
import VellumNote
import VellumSequencer
import VellumStorage
import VellumTesting

@Suite struct SequencerTests {
    @Test func newLogHasASignedEmptyCheckpoint() async throws {
        let log = try TestLog()
        let sequencer = try log.sequencer(InMemoryLogStorage())
        let checkpoint = await sequencer.checkpoint
        let opened = try Checkpoint.open(checkpoint.note, verifiers: log.verifiers)
        #expect(opened.checkpoint.size == 0 && opened.checkpoint.root == RFC6962.emptyRoot)
        #expect(opened.checkpoint.origin == "vellum.test - 1")
        #expect(opened.note.verified.count == 2)
    }

    @Test func receiptsVerifyWithOnlyTheKeys() async throws {
        let log = try TestLog()
        let storage = InMemoryLogStorage()
        let sequencer = try log.sequencer(storage)
        var acknowledged: [UInt64: [UInt8]] = [:]
        for i in 0..<300 {
            let outcome = try await sequencer.submit(leaf: entry(i), identity: RFC6962.leafHash(entry(i)))
            let receipt = try #require(outcome.receipt)
            #expect(receipt.index == UInt64(i))
            try log.verify(receipt, entry: entry(i))
            acknowledged[receipt.index] = entry(i)
        }
        try LogInvariants.check(storage: storage, verifiers: log.verifiers, acknowledged: acknowledged)
    }

    @Test func duplicatesReturnTheExistingIndex() async throws {
        let log = try TestLog()
        let sequencer = try log.sequencer(InMemoryLogStorage())
        let identity = RFC6962.leafHash(entry(1))
        let first = try await sequencer.submit(leaf: entry(1), identity: identity)
        #expect(first.receipt?.index == 0)
        #expect(try await sequencer.submit(leaf: entry(1), identity: identity) == .duplicate(index: 0))
        #expect(await sequencer.checkpoint.size == 1)
    }

    @Test func concurrentSubmittersWithDuplicatesGetConsistentReceipts() async throws {
        let log = try TestLog()
        let storage = InMemoryLogStorage()
        let sequencer = try log.sequencer(storage, batchSize: 32)
        // 400 submitters, 200 distinct entries: each entry is sent twice, concurrently.
        let outcomes = try await withThrowingTaskGroup(of: (Int, SubmitOutcome).self) { group in
            for i in 0..<400 {
                group.addTask {
                    let e = entry(i % 200)
                    return (i % 200, try await sequencer.submit(leaf: e, identity: RFC6962.leafHash(e)))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var added: [Int: Receipt] = [:]
        var duplicates: [Int: UInt64] = [:]
        for (i, outcome) in outcomes {
            switch outcome {
            case .added(let receipt):
                #expect(added[i] == nil, "entry \(i) added twice")
                added[i] = receipt
                try log.verify(receipt, entry: entry(i))
            case .duplicate(let index): duplicates[i] = index
            }
        }
        #expect(added.count == 200)
        for (i, index) in duplicates { #expect(added[i]?.index == index, "duplicate of \(i) points elsewhere") }
        // Every checkpoint handed out is consistent with every later one.
        let checkpoints = Set(added.values.map(\.checkpoint)).sorted { $0.size < $1.size }
        var store = TileStore()
        for receipt in added.values.sorted(by: { $0.index < $1.index }) {
            let e = entry(added.first { $0.value == receipt }!.key)
            store.append([RFC6962.leafHash(e)])
        }
        for (a, b) in zip(checkpoints, checkpoints.dropFirst()) {
            let proof = try store.assemble(ConsistencyProof.plan(oldSize: a.size, newSize: b.size))
            try ConsistencyProof.verify(oldSize: a.size, newSize: b.size, oldRoot: a.root, newRoot: b.root, proof: proof)
        }
        #expect(checkpoints.count > 1, "expected several batches")
        try LogInvariants.check(storage: storage, verifiers: log.verifiers,
                                acknowledged: Dictionary(uniqueKeysWithValues: added.map { ($0.value.index, entry($0.key)) }))
    }

    @Test func fullPoolPushesBackAtOnce() async throws {
        let log = try TestLog()
        let gate = GatedStorage(wrapping: InMemoryLogStorage())
        let sequencer = try log.sequencer(gate, batchSize: 1, age: .zero, pool: 4)
        gate.close()
        // One entry is being written (held at the gate), four fill the pool.
        var tasks: [Task<SubmitOutcome, any Error>] = []
        for i in 0..<5 {
            tasks.append(Task { try await sequencer.submit(leaf: entry(i), identity: RFC6962.leafHash(entry(i))) })
            try await Task.sleep(for: .milliseconds(20))
        }
        await #expect(throws: SequencerError.poolFull(capacity: 4)) {
            try await sequencer.submit(leaf: entry(99), identity: RFC6962.leafHash(entry(99)))
        }
        gate.open()
        for task in tasks { #expect(try await task.value.receipt != nil) }
    }

    @Test func rejectsOversizedEntries() async throws {
        let log = try TestLog()
        let sequencer = try log.sequencer(InMemoryLogStorage())
        let big = [UInt8](repeating: 1, count: 65_536)
        await #expect(throws: SequencerError.entryTooLarge(size: 65_536, limit: 65_535)) {
            try await sequencer.submit(leaf: big, identity: RFC6962.leafHash(big))
        }
    }

    @Test func shutdownCommitsPendingEntriesAndRefusesNewOnes() async throws {
        let log = try TestLog()
        let storage = InMemoryLogStorage()
        let sequencer = try log.sequencer(storage, batchSize: 1000, age: .seconds(60))
        var tasks: [Task<SubmitOutcome, any Error>] = []
        for i in 0..<10 {
            tasks.append(Task { try await sequencer.submit(leaf: entry(i), identity: RFC6962.leafHash(entry(i))) })
        }
        try await Task.sleep(for: .milliseconds(50))
        await sequencer.shutdown()
        for task in tasks { #expect(try await task.value.receipt != nil) }
        #expect(try storage.treeState().size == 10)
        await #expect(throws: SequencerError.shuttingDown) {
            try await sequencer.submit(leaf: entry(50), identity: RFC6962.leafHash(entry(50)))
        }
    }
}

/// A store whose commits wait while the gate is closed, and whose syncs can be held (each
/// held sync blocks until `releaseSyncs()`), so a test can see what the sequencer does with a
/// commit that is not durable yet.
final class GatedStorage: LogStorage {
    let base: any LogStorage
    let isOpen = Locked(true)
    private let syncs = Locked((held: false, waiting: 0, completed: 0))
    init(wrapping base: any LogStorage) { self.base = base }
    func close() { isOpen.withLock { $0 = false } }
    func open() { isOpen.withLock { $0 = true } }
    func holdSyncs() { syncs.withLock { $0.held = true } }
    func releaseSyncs() { syncs.withLock { $0.held = false } }
    var waitingSyncs: Int { syncs.withLock { $0.waiting } }
    var completedSyncs: Int { syncs.withLock { $0.completed } }
    func tiles(_ ids: [TileID]) throws -> [Tile] { try base.tiles(ids) }
    func entryBundle(index: UInt64) throws -> [UInt8]? { try base.entryBundle(index: index) }
    func treeState() throws -> TreeState { try base.treeState() }
    func latestCheckpoint() throws -> StoredCheckpoint? { try base.latestCheckpoint() }
    func checkpoint(size: UInt64) throws -> StoredCheckpoint? { try base.checkpoint(size: size) }
    func checkpoint(covering index: UInt64) throws -> StoredCheckpoint? { try base.checkpoint(covering: index) }
    func index(ofIdentity identity: Hash) throws -> UInt64? { try base.index(ofIdentity: identity) }
    func indices(forKey key: [UInt8], limit: Int) throws -> [UInt64] { try base.indices(forKey: key, limit: limit) }
    func attachment(index: UInt64) throws -> [UInt8]? { try base.attachment(index: index) }
    func write(_ body: (any LogWriteTransaction) throws -> Void) throws {
        try commit(body)
        try sync()
    }
    func commit(_ body: (any LogWriteTransaction) throws -> Void) throws {
        while !isOpen.withLock({ $0 }) { usleep(1000) }
        try base.commit(body)
    }
    func sync() throws {
        let held = syncs.withLock { state -> Bool in
            if state.held { state.waiting += 1 }
            return state.held
        }
        if held {
            while syncs.withLock({ $0.held }) { usleep(1000) }
            syncs.withLock { $0.waiting -= 1 }
        }
        try base.sync()
        syncs.withLock { $0.completed += 1 }
    }
}

import Foundation
import VellumSync
