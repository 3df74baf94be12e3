import Synchronization
import VellumSync
import Testing
import VellumMerkle
import VellumSequencer
import VellumStorage
import VellumTesting

/// Commit and sync as two stages: the next batch is committed while the previous one syncs,
/// no entry is acknowledged before a sync that covers it has returned, and a failed sync
/// fails everything unacknowledged and stops the log.
@Suite struct SyncPipelineTests {
    @Test func batchesCommitWhileEarlierOnesSyncAndNoneIsAcknowledgedBeforeItsSync() async throws {
        let log = try TestLog()
        let storage = GatedStorage(wrapping: InMemoryLogStorage())
        let sequencer = try log.sequencer(storage, batchSize: 1)
        let finished = Counter()
        storage.holdSyncs()
        let first = Task {
            defer { finished.add() }
            return try await sequencer.submit(leaf: entry(0), identity: RFC6962.leafHash(entry(0)))
        }
        try await waitUntil { try storage.treeState().size == 1 && storage.waitingSyncs == 1 }
        let second = Task {
            defer { finished.add() }
            return try await sequencer.submit(leaf: entry(1), identity: RFC6962.leafHash(entry(1)))
        }
        // The second batch is committed while the first one's sync is still held…
        try await waitUntil { try storage.treeState().size == 2 }
        try await Task.sleep(for: .milliseconds(50))
        // …and neither caller has its answer: both wait for a sync that covers them.
        #expect(finished.value == 0)
        storage.releaseSyncs()
        let receipts = [try #require(try await first.value.receipt), try #require(try await second.value.receipt)]
        for (i, receipt) in receipts.enumerated() {
            #expect(receipt.index == UInt64(i))
            try log.verify(receipt, entry: entry(i))
        }
        // One sync started before the second commit, so a second one covered it.
        #expect(storage.completedSyncs >= 2)
        await sequencer.shutdown()
    }

    @Test func aFailedSyncFailsEverythingUnacknowledgedAndStopsTheLog() async throws {
        let log = try TestLog()
        let base = InMemoryLogStorage()
        let storage = FaultInjectingStorage(wrapping: base)
        let sequencer = try log.sequencer(storage, batchSize: 4)
        var acknowledged: [UInt64: [UInt8]] = [:]
        for i in 0..<10 {
            let receipt = try #require(try await sequencer.submit(leaf: entry(i), identity: RFC6962.leafHash(entry(i))).receipt)
            acknowledged[receipt.index] = entry(i)
        }
        storage.failNextWrite(at: .inSync)
        await #expect(throws: SequencerError.self) {
            try await sequencer.submit(leaf: entry(100), identity: RFC6962.leafHash(entry(100)))
        }
        // Nothing more is acknowledged: the log refuses new entries until it is restarted.
        await #expect(throws: SequencerError.self) {
            try await sequencer.submit(leaf: entry(101), identity: RFC6962.leafHash(entry(101)))
        }
        await sequencer.shutdown()
        // The commit itself had landed (the in-memory store keeps it): after a restart the
        // store is consistent and the failed entry is a duplicate, never a second index.
        try LogInvariants.check(storage: base, verifiers: log.verifiers, acknowledged: acknowledged)
        let reopened = try log.sequencer(base)
        #expect(try await reopened.submit(leaf: entry(100), identity: RFC6962.leafHash(entry(100))) == .duplicate(index: 10))
        await reopened.shutdown()
    }

    /// Polls `condition` every millisecond for up to 5 minutes (generous: the whole suite runs
    /// in parallel on two cores, and under ThreadSanitizer every test took ~90 s of wall time,
    /// the condition here more than 60 s once).
    private func waitUntil(_ what: String = #function, line: Int = #line, _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(300)
        while try !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("the condition on line \(line) was not reached within 5 minutes")
                return
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

final class Counter: Sendable {
    private let count = Locked(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
