import Synchronization
import Testing
import VellumMerkle
import VellumSequencer
import VellumTesting
@testable import VellumServer

/// Issue 18: the server died with SIGSEGV after ~250,000 batches, its stack full of nested
/// reabstraction thunks around the batch handler, because each batch read the handler out of a
/// `Mutex` (a generic container) through `inout` access, which wrapped it in two more thunks
/// and stored the wrapped closure back. These drive the observer as many batches as a busy
/// server commits in hours and require that the handler runs at the same stack depth and cost
/// on the last batch as on the first.
@Suite struct BatchObserverTests {
    static let report = BatchReport(entries: 1, checkpoint: SignedCheckpoint(size: 1, root: Hash([UInt8](repeating: 7, count: 32))!,
                                                                               note: "note", signedAt: 0),
                                    duration: .milliseconds(1))

    @Test func aMillionBatchesRunTheHandlerAtTheSameStackDepthAndCost() async {
        let observer = BatchObserver()
        let loopFrame = Atomic<UInt>(0)
        let depth = Atomic<Int>(-1)
        let handled = Atomic<Int>(0)
        observer.setHandler { report in
            handled.add(1, ordering: .relaxed)
            depth.store(RepeatedCalls.stackDepth(below: loopFrame.load(ordering: .relaxed)) ?? -1, ordering: .relaxed)
        }
        let run = await RepeatedCalls.run(times: 1_000_000, chunk: 20_000) { frame in
            loopFrame.store(frame, ordering: .relaxed)
            observer.report(Self.report)
            return depth.load(ordering: .relaxed)
        }
        #expect(run.calls == 1_000_000, "gave up after \(run.calls) batches: chunk times \(run.chunkSeconds)")
        #expect(handled.load(ordering: .relaxed) == run.calls)
        #expect(run.firstDepth > 0)
        #expect(run.lastDepth == run.firstDepth, "the handler ran \(run.lastDepth - run.firstDepth) bytes deeper after \(run.calls) batches")
        #expect(run.maxDepth == run.firstDepth)
        let (first, last) = run.medians()
        #expect(last < first * 3 + 0.005, "a chunk of batches took \(first) s at first and \(last) s at the end")
        #expect(observer.latest.withLock { $0 } == Self.report.checkpoint)
    }
}
