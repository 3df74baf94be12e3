import Foundation
import Testing
import VellumMerkle
import VellumSequencer
import VellumSQLite
import VellumStorage
import VellumTesting

/// The sequencer on the SQLite store: restart, faults and concurrency with real transactions.
@Suite struct SQLiteSequencerTests {
    func withDatabase<R>(_ body: (String) async throws -> R) async throws -> R {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vellum-seq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory.appendingPathComponent("log.db").path)
    }

    @Test func restartContinuesTheSameTree() async throws {
        try await withDatabase { path in
            let log = try TestLog()
            var acknowledged: [UInt64: [UInt8]] = [:]
            for round in 0..<3 {
                let storage = try SQLiteLogStorage(path: path, readers: 2)
                let sequencer = try log.sequencer(storage, batchSize: 16)
                let start = await sequencer.checkpoint.size
                #expect(start == UInt64(round * 100))
                try await withThrowingTaskGroup(of: (Int, SubmitOutcome).self) { group in
                    for i in round * 100..<(round + 1) * 100 {
                        group.addTask { (i, try await sequencer.submit(leaf: entry(i), identity: RFC6962.leafHash(entry(i)))) }
                    }
                    for try await (i, outcome) in group {
                        let receipt = try #require(outcome.receipt)
                        try log.verify(receipt, entry: entry(i))
                        acknowledged[receipt.index] = entry(i)
                    }
                }
                await sequencer.shutdown()
                try LogInvariants.check(storage: storage, verifiers: log.verifiers, acknowledged: acknowledged)
            }
            // Entries from an earlier run are duplicates after a restart.
            let sequencer = try log.sequencer(SQLiteLogStorage(path: path, readers: 1))
            let again = try await sequencer.submit(leaf: entry(5), identity: RFC6962.leafHash(entry(5)))
            #expect(again == .duplicate(index: acknowledged.first { $0.value == entry(5) }!.key))
        }
    }

    @Test(arguments: FaultInjectingStorage.Point.allCases)
    func faultsRollBackCleanly(point: FaultInjectingStorage.Point) async throws {
        try await withDatabase { path in
            let log = try TestLog()
            let base = try SQLiteLogStorage(path: path, readers: 2)
            let storage = FaultInjectingStorage(wrapping: base)
            let sequencer = try log.sequencer(storage, batchSize: 8)
            var acknowledged: [UInt64: [UInt8]] = [:]
            for i in 0..<300 {
                let receipt = try #require(try await sequencer.submit(leaf: entry(i), identity: RFC6962.leafHash(entry(i))).receipt)
                acknowledged[receipt.index] = entry(i)
            }
            storage.failNextWrite(at: point)
            await #expect(throws: SequencerError.self) {
                try await sequencer.submit(leaf: entry(1000), identity: RFC6962.leafHash(entry(1000)))
            }
            await sequencer.shutdown()
            let reopened = try SQLiteLogStorage(path: path, readers: 1)
            try LogInvariants.check(storage: reopened, verifiers: log.verifiers, acknowledged: acknowledged)
            #expect(try reopened.treeState().size == ([.afterCommit, .inSync].contains(point) ? 301 : 300))
            _ = try log.sequencer(reopened)
        }
    }
}
