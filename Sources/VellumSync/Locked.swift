import CVellumSync
import Synchronization

/// A value behind a lock: `Synchronization.Mutex`, with its critical sections made visible to
/// ThreadSanitizer.
///
/// Why not `Mutex` itself: on Linux its lock and unlock run in the prebuilt, uninstrumented
/// Synchronization library, so ThreadSanitizer sees no ordering between two threads' critical
/// sections and reports every value a `Mutex` protects as raced (checked with a two-thread
/// counter: "Swift access race" on each access, though the count was right). Each critical
/// section here tells it "acquire" on entry and "release" on exit, keyed by the mutex's
/// address; outside ThreadSanitizer builds that is one untaken branch each.
public struct Locked<Value: ~Copyable>: ~Copyable, @unchecked Sendable {
    @usableFromInline let mutex: Mutex<Value>

    @inlinable
    public init(_ value: consuming sending Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with the value, holding the lock. Inlinable, so that callers get it
    /// specialized for their value, as they would `Mutex.withLock`.
    @inlinable
    public borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        // The mutex's address keys the annotation (a noncopyable value is borrowed in place, so
        // it is the same on every call); it is only compared, never dereferenced.
        let key = withUnsafePointer(to: mutex) { UnsafeMutableRawPointer(mutating: $0) }
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            vellum_tsan_acquire(key)
            defer { vellum_tsan_release(key) }
            return try body(&value)
        }
    }
}
