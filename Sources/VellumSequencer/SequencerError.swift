import VellumMerkle

/// Why the sequencer did not log an entry. The API maps each case to a status.
public enum SequencerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The pool is full: try again shortly (503 + Retry-After).
    case poolFull(capacity: Int)
    /// The sequencer is shutting down and takes no more entries.
    case shuttingDown
    /// The entry is larger than an entry bundle can hold.
    case entryTooLarge(size: Int, limit: Int)
    /// The batch holding the entry could not be made durable; nothing of it was acknowledged.
    /// The entry may be retried.
    case batchFailed(String)
    /// The stored log contradicts itself; the sequencer refuses to start.
    case inconsistentStorage(String)

    public var description: String {
        switch self {
        case .poolFull(let capacity):
            return "the log's pool of \(capacity) pending entries is full; retry shortly"
        case .shuttingDown:
            return "the log is shutting down and accepts no new entries"
        case .entryTooLarge(let size, let limit):
            return "entry of \(size) bytes exceeds the limit of \(limit) bytes"
        case .batchFailed(let reason):
            return "the batch holding this entry failed and nothing was logged (\(reason)); retry"
        case .inconsistentStorage(let reason):
            return "refusing to start: the stored log is inconsistent: \(reason)"
        }
    }
}
