import Testing
import VellumMerkle
import VellumNote
import VellumSequencer
import VellumStorage
import VellumTesting

/// Failures at every named point of a batch: the failed batch's callers get a clear error,
/// nothing acknowledged is lost, and a sequencer reopened on the same store finds it consistent.
@Suite struct FaultInjectionTests {
    /// The points after which the sequencer carries on (a failed sync stops it: see
    /// `SyncPipelineTests`).
    static let recoverablePoints = FaultInjectingStorage.Point.allCases.filter { $0 != .inSync }

    @Test(arguments: recoverablePoints)
    func storeFaultLeavesAConsistentLog(point: FaultInjectingStorage.Point) async throws {
        let log = try TestLog()
        let base = InMemoryLogStorage()
        let storage = FaultInjectingStorage(wrapping: base)
        let sequencer = try log.sequencer(storage, batchSize: 8)
        var acknowledged: [UInt64: [UInt8]] = [:]
        for i in 0..<20 {
            let receipt = try #require(try await sequencer.submit(leaf: entry(i), identity: RFC6962.leafHash(entry(i))).receipt)
            acknowledged[receipt.index] = entry(i)
        }
        storage.failNextWrite(at: point)
        await #expect(throws: SequencerError.self) {
            try await sequencer.submit(leaf: entry(100), identity: RFC6962.leafHash(entry(100)))
        }
        try LogInvariants.check(storage: base, verifiers: log.verifiers, acknowledged: acknowledged)
        let expectedSize: UInt64 = point == .afterCommit ? 21 : 20
        #expect(try base.treeState().size == expectedSize)
        // The same sequencer carries on from the reloaded state…
        let next = try await sequencer.submit(leaf: entry(101), identity: RFC6962.leafHash(entry(101)))
        let receipt = try #require(next.receipt)
        #expect(receipt.index == expectedSize)
        acknowledged[receipt.index] = entry(101)
        try log.verify(receipt, entry: entry(101))
        // …the failed entry can be retried (a duplicate if its commit did land)…
        let retry = try await sequencer.submit(leaf: entry(100), identity: RFC6962.leafHash(entry(100)))
        if point == .afterCommit { #expect(retry == .duplicate(index: 20)) } else { #expect(retry.receipt != nil) }
        // …and a reopened sequencer accepts the store.
        await sequencer.shutdown()
        let reopened = try log.sequencer(base)
        #expect(await reopened.checkpoint.size == 22)
        try LogInvariants.check(storage: base, verifiers: log.verifiers, acknowledged: acknowledged)
    }

    @Test func signingFailureFailsOnlyThatBatch() async throws {
        let log = try TestLog()
        let storage = InMemoryLogStorage()
        let flaky = FlakySigner(base: log.ecdsa)
        var configuration = log.configuration(batchSize: 4)
        configuration.signers = [log.ed25519, flaky]
        let sequencer = try Sequencer(storage: storage, configuration: configuration, verifiers: log.verifiers)
        _ = try await sequencer.submit(leaf: entry(0), identity: RFC6962.leafHash(entry(0)))
        flaky.failNext()
        await #expect(throws: SequencerError.self) {
            try await sequencer.submit(leaf: entry(1), identity: RFC6962.leafHash(entry(1)))
        }
        #expect(try storage.treeState().size == 1)
        let receipt = try #require(try await sequencer.submit(leaf: entry(2), identity: RFC6962.leafHash(entry(2))).receipt)
        #expect(receipt.index == 1)
        try LogInvariants.check(storage: storage, verifiers: log.verifiers, acknowledged: [0: entry(0), 1: entry(2)])
    }

    @Test func refusesToStartOnInconsistentStorage() async throws {
        let log = try TestLog()
        let storage = InMemoryLogStorage()
        let sequencer = try log.sequencer(storage)
        for i in 0..<5 { _ = try await sequencer.submit(leaf: entry(i), identity: RFC6962.leafHash(entry(i))) }
        // A tree state that the tiles do not support.
        try storage.write { try $0.putTreeState(TreeState(size: 5, root: RFC6962.leafHash([0]))) }
        #expect {
            _ = try log.sequencer(storage)
        } throws: { error in
            guard case .inconsistentStorage(let reason) = error as? SequencerError else { return false }
            return reason.contains("tiles hash to")
        }
        // A checkpoint signed by a key the log does not hold.
        let other = try TestLog()
        #expect(throws: SequencerError.self) {
            _ = try Sequencer(storage: storage, configuration: log.configuration(), verifiers: other.verifiers)
        }
    }
}

/// A signer that fails once on demand.
final class FlakySigner: NoteSigner, @unchecked Sendable {
    let base: any NoteSigner
    var failing = false
    init(base: any NoteSigner) { self.base = base }
    var name: String { base.name }
    var keyID: UInt32 { base.keyID }
    func failNext() { failing = true }
    func sign(message: [UInt8]) throws -> [UInt8] {
        if failing { failing = false; throw StorageError.injected("signing") }
        return try base.sign(message: message)
    }
}
