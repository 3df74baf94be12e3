import Dispatch
import Foundation
import VellumSync
import Testing
import VellumTesting
@testable import VellumSQLite

@Suite struct BackgroundThreadTests {
    @Test func runsJobsInOrderOnOneThreadOfItsOwnAtALowerPriority() {
        let worker = BackgroundThread(nice: 7)
        let seen = Locked<(order: [Int], threads: Set<UInt>, nice: Set<Int32>)>(([], [], []))
        for number in 0..<200 {
            worker.async {
                seen.withLock {
                    $0.order.append(number)
                    $0.threads.insert(UInt(bitPattern: Int(bitPattern: pthread_self())))
                    #if os(Linux)
                    $0.nice.insert(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0))
                    #endif
                }
            }
        }
        worker.sync()
        let result = seen.withLock { $0 }
        #expect(result.order == Array(0..<200))
        #expect(result.threads.count == 1)
        #expect(!result.threads.contains(UInt(bitPattern: Int(bitPattern: pthread_self()))))
        #if os(Linux)
        #expect(result.nice == [7])
        // The caller's priority is its own.
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == 0)
        #endif
    }

    @Test func jobsQueuedBeforeTheWorkerGoesAwayStillRun() {
        let done = DispatchSemaphore(value: 0)
        do {
            let worker = BackgroundThread()
            worker.async { Thread.sleep(forTimeInterval: 0.05) }
            worker.async { done.signal() }
        }
        #expect(done.wait(timeout: .now() + 5) == .success)
    }

    /// Issue 18: a closure read back out of a generic container through `inout` access gains
    /// reabstraction thunks for good. The worker keeps its jobs in a `Mutex`; a million jobs
    /// through it must run at one stack depth on its thread and cost the same at the end as at
    /// the start.
    @Test func aMillionJobsRunAtTheSameStackDepthAndCost() async {
        let worker = BackgroundThread()
        let depths = Locked<(first: UInt?, lowest: UInt, highest: UInt, jobs: Int)>((nil, .max, 0, 0))
        let run = await RepeatedCalls.run(times: 1_000_000, chunk: 20_000) { _ in
            worker.async {
                let here = RepeatedCalls.stackAddress()
                depths.withLock {
                    if $0.first == nil { $0.first = here }
                    $0.lowest = min($0.lowest, here)
                    $0.highest = max($0.highest, here)
                    $0.jobs += 1
                }
            }
            return nil
        }
        worker.sync()
        let seen = depths.withLock { $0 }
        #expect(run.calls == 1_000_000, "gave up after \(run.calls) jobs: chunk times \(run.chunkSeconds)")
        #expect(seen.jobs == run.calls)
        #expect(seen.lowest == seen.first && seen.highest == seen.first,
                "jobs ran between \(seen.first.map { $0 - seen.lowest } ?? 0) bytes deeper and \(seen.highest - (seen.first ?? 0)) bytes higher than the first")
        let (first, last) = run.medians()
        #expect(last < first * 3 + 0.005, "a chunk of jobs took \(first) s at first and \(last) s at the end")
    }
}
