/// Why the server cannot start; each case says what to do about it.
public enum ServerError: Error, CustomStringConvertible, Sendable {
    case dataDirectory(path: String, reason: String)
    case keyFile(path: String, reason: String)
    case treeIDMismatch(stored: Int64, given: Int64)
    case invalidConfiguration(String)

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
        }
    }
}
