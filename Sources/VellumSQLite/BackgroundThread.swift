import Dispatch
import Foundation
import VellumSync

/// A thread of its own that runs jobs one at a time, in order, at a lower CPU priority than the
/// rest of the process (nice +10 on Linux): for work that may lag, such as WAL checkpoints.
///
/// Why not a dispatch queue: a queue's jobs run on the pool's shared threads, and a nice value
/// set on one would stay with that thread for whatever runs on it next (the writer, say);
/// lowering it back needs a privilege the server should not have. Here the lower priority
/// stays with this thread alone. With two cores, the writer and the submitters now take the
/// CPU first and the checkpointer uses what is left (`docs/PERFORMANCE.md`).
///
/// The thread ends once the worker is gone and its last job has run.
final class BackgroundThread: Sendable {
    /// Shared with the thread, which must not keep the worker itself alive.
    private let jobs = Jobs()

    private final class Jobs: Sendable {
        let state = Locked<(jobs: [@Sendable () -> Void], stopped: Bool)>(([], false))
        let wakeup = DispatchSemaphore(value: 0)
    }

    /// Starts the thread.
    init(nice: Int32 = 10) {
        let jobs = self.jobs
        let thread = Thread {
            #if os(Linux)
            // On Linux a nice value belongs to the calling thread, not to the process.
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
            #endif
            while true {
                jobs.wakeup.wait()
                let (due, stopped) = jobs.state.withLock { state in
                    defer { state.jobs = [] }
                    return (state.jobs, state.stopped)
                }
                for job in due { job() }
                if stopped { return }
            }
        }
        thread.start()
    }

    deinit {
        jobs.state.withLock { $0.stopped = true }
        jobs.wakeup.signal()
    }

    /// Runs `job` on the thread after the jobs before it.
    func async(_ job: @escaping @Sendable () -> Void) {
        jobs.state.withLock { $0.jobs.append(job) }
        jobs.wakeup.signal()
    }

    /// Returns once every job queued before the call has run.
    func sync() {
        let done = DispatchSemaphore(value: 0)
        async { done.signal() }
        done.wait()
    }
}
