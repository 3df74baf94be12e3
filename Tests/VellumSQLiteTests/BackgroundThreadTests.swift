import Dispatch
import Foundation
import Synchronization
import Testing
@testable import VellumSQLite

@Suite struct BackgroundThreadTests {
    @Test func runsJobsInOrderOnOneThreadOfItsOwnAtALowerPriority() {
        let worker = BackgroundThread(nice: 7)
        let seen = Mutex<(order: [Int], threads: Set<UInt>, nice: Set<Int32>)>(([], [], []))
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
}
