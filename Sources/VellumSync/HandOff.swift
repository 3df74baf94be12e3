import CVellumSync
import Dispatch

/// Awaits a value that a thread outside Swift concurrency produces (a dispatch queue's, a
/// `Thread` of our own), without blocking a thread of the cooperative pool: `start` gets the
/// function to call with the value, from any thread, exactly once.
///
/// Also tells ThreadSanitizer that whatever the producer did before delivering happens before
/// the code after the await: on Linux it does not see that through a continuation resumed on
/// such a thread (checked: an object built in a dispatch block and read after the await was
/// reported as raced), so every batch the writer thread built looked raced to it.
public func awaitHandOff<T: Sendable>(_ start: (_ deliver: @escaping @Sendable (T) -> Void) -> Void) async -> T {
    let token = HandOffToken()
    let value = await withCheckedContinuation { continuation in
        start { value in
            vellum_tsan_release(token.address)
            continuation.resume(returning: value)
        }
    }
    vellum_tsan_acquire(token.address)
    return value
}

extension DispatchQueue {
    /// Runs `work` on this queue and returns its result to the awaiting task (`awaitHandOff`).
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await awaitHandOff { deliver in self.async { deliver(work()) } }
    }
}

/// An object whose address keys one hand-off's annotations.
private final class HandOffToken: Sendable {
    var address: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}
