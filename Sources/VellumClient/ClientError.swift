/// Why the client side could not talk to a log or read what it said. These are operational
/// errors (exit status 3), not evidence against the log: a log that answers garbage is
/// reported, but a finding needs a signed statement to hold against it.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    case unreachable(_ url: String, reason: String)
    case status(url: String, status: Int, body: String)
    case malformed(url: String, reason: String)
    case state(path: String, reason: String)
    case configuration(String)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason): "\(url) could not be reached: \(reason)"
        case .status(let url, let status, let body): "\(url) answered \(status): \(body)"
        case .malformed(let url, let reason): "\(url) answered something unreadable: \(reason)"
        case .state(let path, let reason): "the state in \(path) cannot be used: \(reason)"
        case .configuration(let reason): reason
        }
    }
}
