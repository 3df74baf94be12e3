import Foundation

/// Something a monitor found: an entry on the watch list, or evidence that the log misbehaved.
/// Written as one JSON object per line; an inconsistency carries the signed checkpoints that
/// cannot both be honest, which anyone can check with the log's key.
public struct Finding: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// An entry matched the watch list.
        case match
        /// Two signed checkpoints of one log that no append-only log can have both signed
        /// (a failed consistency proof, one size with two roots, two vantage points that disagree).
        case inconsistent
        /// A signed checkpoint smaller than one already verified.
        case rollback
        /// A checkpoint whose signature does not verify with the log's key.
        case badSignature = "bad-signature"
        /// The entries the log served do not hash to the root its checkpoint signs.
        case rootMismatch = "root-mismatch"
        /// An entry the monitor could not read, reported instead of skipped.
        case unparsableEntry = "unparsable-entry"
    }

    public var kind: Kind
    /// The log's base URL (or the peer's, for a peer's bad signature).
    public var log: String
    /// For entry findings: a number that grows by one per finding in log order, the same
    /// when a range is scanned again, so a restarted monitor knows what it already delivered.
    public var seq: UInt64?
    public var logIndex: UInt64?
    public var entryUUID: String?
    public var entryKind: String?
    public var matches: [WatchMatch]?
    /// Evidence: signed checkpoints as served, oldest first.
    public var checkpoints: [String]?
    /// Evidence: the consistency proof that failed, base64 hashes.
    public var proof: [String]?
    /// For root-mismatch: the root the served entries hash to.
    public var computedRoot: String?
    public var reason: String
    public var time: String

    public init(kind: Kind, log: String, reason: String, time: Date = Date()) {
        self.kind = kind
        self.log = log
        self.reason = reason
        self.time = ISO8601DateFormatter().string(from: time)
    }

    /// One line of JSON, keys sorted, no trailing newline.
    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
