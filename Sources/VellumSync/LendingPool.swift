import Foundation

/// A fixed set of resources (connections) lent out one caller at a time; a caller blocks while
/// every one is out.
///
/// Blocking, not async, on purpose: borrowers run a few synchronous queries and return, never
/// suspending while they hold one, so with at least as many resources as cores the callers on
/// Swift's cooperative pool (one thread per core) can never all be waiting.
///
/// `@unchecked Sendable`: `idle` is touched only while holding `condition`. `NSCondition`
/// (a pthread mutex and condition variable), because ThreadSanitizer sees its locking.
public final class LendingPool<Resource>: @unchecked Sendable {
    private let condition = NSCondition()
    private var idle: [Resource]
    public let size: Int

    public init(_ resources: [Resource]) {
        precondition(!resources.isEmpty, "a pool needs at least one resource")
        idle = resources
        size = resources.count
    }

    /// Runs `body` with a resource nobody else holds until it returns; `onReturn` runs on the
    /// resource before it goes back (to undo what a failed borrower left, say).
    ///
    /// Do not let the resource escape `body`, nor borrow again inside it: with every resource
    /// held that way the pool deadlocks.
    public func withResource<Result>(_ body: (Resource) throws -> Result,
                                     onReturn: (Resource) -> Void = { _ in }) rethrows -> Result {
        condition.lock()
        while idle.isEmpty { condition.wait() }
        let resource = idle.removeLast()
        condition.unlock()
        defer {
            onReturn(resource)
            condition.lock()
            idle.append(resource)
            condition.signal()
            condition.unlock()
        }
        return try body(resource)
    }
}
