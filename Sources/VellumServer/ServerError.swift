/// Why the server cannot start; each case says what to do about it.
public enum ServerError: Error, CustomStringConvertible, Sendable {
    case dataDirectory(path: String, reason: String)
    case keyFile(path: String, reason: String)
    case treeIDMismatch(stored: Int64, given: Int64)
    case invalidConfiguration(String)
    /// The data directory's keys are not the ones the log signed with (another node's copy
    /// differs, or the files were replaced).
    case keyMismatch(which: String, stored: String, found: String)

    public var description: String {
        switch self {
        case .dataDirectory(let path, let reason):
            "data directory \(path): \(reason)"
        case .keyFile(let path, let reason):
            "key file \(path): \(reason)"
        case .treeIDMismatch(let stored, let given):
            "--tree-id \(given) differs from the tree ID \(stored) stored in the database; "
                + "entry IDs and checkpoints carry it, so it cannot change (omit --tree-id to use the stored one)"
        case .invalidConfiguration(let message):
            message
        case .keyMismatch(let which, let stored, let found):
            "the \(which) in the data directory (\(found)) is not the one this log signs with (\(stored)); every node "
                + "of a log needs the same key files: copy them from a node that has them (vellum keygen only once)"
        }
    }
}
