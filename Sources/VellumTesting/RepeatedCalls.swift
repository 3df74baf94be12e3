import Dispatch
import Foundation
import VellumSync
import CVellumTesting

/// Drives a call many times on a thread of its own and measures whether it stays the same:
/// for callbacks that a long-running server makes once per batch or per job, where a cost that
/// grows with every call (issue 18: each read of a closure through a generic container's
/// `inout` access wrapped it in two more reabstraction thunks for good, until the stack
/// overflowed after ~250,000 batches) shows up only after hours.
///
/// Two measures, each enough to catch that kind of growth:
/// - **stack depth**: `call` gets the address of a local in the driving loop's frame and
///   reports, from where the callback runs, how far below it it is (`stackDepth(below:)`);
///   growth shows after the second call, deterministically, on any machine.
/// - **time per chunk** of calls, first chunks against last ones: growth shows as a slope.
///   Noisy on a shared machine, so judged on medians with a wide margin.
public enum RepeatedCalls {
    public struct Report: Sendable {
        /// Calls made (fewer than asked when the run gave up on a runaway chunk).
        public var calls: Int
        /// Seconds per chunk of calls, in order.
        public var chunkSeconds: [Double]
        /// Stack depths reported by the first and the last call, in bytes below the loop's frame.
        public var firstDepth: Int
        public var lastDepth: Int
        /// The largest depth reported by any call.
        public var maxDepth: Int

        /// Median seconds per chunk over the first and the last `window` chunks.
        public func medians(window: Int = 5) -> (first: Double, last: Double) {
            func median(_ values: ArraySlice<Double>) -> Double {
                let sorted = values.sorted()
                return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
            }
            return (median(chunkSeconds.prefix(window)), median(chunkSeconds.suffix(window)))
        }
    }

    /// Calls `call` `times` times on a new thread with a `stackSize`-byte stack (a small one
    /// turns any stack growth into a crash sooner), timing every `chunk` calls. `call` gets the
    /// stack address of the driving loop and returns the depth it observed (see
    /// `stackDepth(below:)`), or nil when it ran somewhere else. Stops early once a call runs
    /// 16 KiB deeper than the first did, or a chunk takes `giveUpFactor` times the first one, so
    /// that a regression fails in seconds with a report rather than a crash.
    public static func run(times: Int, chunk: Int = 10_000, stackSize: Int = 512 << 10, giveUpFactor: Double = 50,
                           _ call: @escaping @Sendable (_ loopFrame: UInt) -> Int?) async -> Report {
        // Awaited, not waited for: a test blocking a thread of the cooperative pool for the
        // whole run (a minute and more under a sanitizer) starved the tests running beside it.
        await awaitHandOff { deliver in
            let thread = Thread {
                deliver(drive(times: times, chunk: chunk, giveUpFactor: giveUpFactor, call))
            }
            thread.stackSize = stackSize
            thread.start()
        }
    }

    @inline(never)
    private static func drive(times: Int, chunk: Int, giveUpFactor: Double,
                              _ call: @Sendable (UInt) -> Int?) -> Report {
        let frame = stackAddress()
        var report = Report(calls: 0, chunkSeconds: [], firstDepth: 0, lastDepth: 0, maxDepth: 0)
        var chunkStart = DispatchTime.now().uptimeNanoseconds
        while report.calls < times {
            if let depth = call(frame) {
                if report.calls == 0 { report.firstDepth = depth }
                report.lastDepth = depth
                report.maxDepth = max(report.maxDepth, depth)
                if depth > report.firstDepth + 16 << 10 {
                    report.calls += 1
                    break
                }
            }
            report.calls += 1
            if report.calls % chunk == 0 || report.calls == times {
                let now = DispatchTime.now().uptimeNanoseconds
                report.chunkSeconds.append(Double(now - chunkStart) / 1e9)
                chunkStart = now
                if let first = report.chunkSeconds.first, report.chunkSeconds.count > 1,
                   report.chunkSeconds.last! > first * giveUpFactor + 0.05 {
                    break
                }
            }
        }
        return report
    }

    /// Where in its thread's stack the caller runs: the frame address of a C function it calls
    /// (stacks grow down on every platform we build for, so deeper is lower). Not the address of
    /// a local: AddressSanitizer moves those to a heap-allocated fake stack.
    @inline(never)
    public static func stackAddress() -> UInt {
        UInt(vellum_frame_address())
    }

    /// How many bytes below `loopFrame` (from `run`'s callback) the caller runs, or nil when the
    /// caller is on another thread's stack (more than 64 MiB away).
    public static func stackDepth(below loopFrame: UInt) -> Int? {
        let here = stackAddress()
        guard here <= loopFrame, loopFrame - here < 64 << 20 else { return nil }
        return Int(loopFrame - here)
    }
}
