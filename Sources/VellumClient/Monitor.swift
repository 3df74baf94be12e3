import Foundation
import VellumMerkle
import VellumNote
import VellumRekor

/// Follows one log: every poll verifies the latest checkpoint (signature, never smaller, one
/// root per size, consistent with the last verified one and with what the peers see), then
/// audits every new entry: each is hashed into the tree the monitor rebuilds itself, read for
/// the watch list, and the rebuilt root must equal the checkpoint's before the checkpoint counts
/// as verified. A log that serves entries other than those it signed is caught (root-mismatch),
/// which a proof-only monitor cannot see.
///
/// Crash order per chunk of entries: findings delivered (output file fsynced) → state written
/// (atomic). A crash before the state write rescans the chunk; its findings get the same seqs and
/// the sink skips those already delivered. The verified checkpoint moves only when a scan reached
/// its size and the roots matched.
public final class Monitor {
    public struct Configuration: Sendable {
        public var stateDirectory: String
        public var watchList: WatchList
        /// Where to start auditing a log this monitor has no state for (default 0).
        public var fromIndex: UInt64?
        /// Other vantage points on the same log (mirrors, caches, other addresses).
        public var peers: [any LogSource]

        public init(stateDirectory: String, watchList: WatchList = WatchList(), fromIndex: UInt64? = nil, peers: [any LogSource] = []) {
            self.stateDirectory = stateDirectory
            self.watchList = watchList
            self.fromIndex = fromIndex
            self.peers = peers
        }
    }

    /// How far a catch-up has come, for a progress bar.
    public struct Progress: Sendable {
        public let done: UInt64
        public let total: UInt64
        public let position: UInt64
        public let treeSize: UInt64
    }

    /// What one poll did.
    public struct Summary: Sendable {
        public var findings = 0
        /// Findings by kind (`match`, `inconsistent`, …).
        public var kinds: [String: Int] = [:]
        public var scanned: UInt64 = 0
        /// The size of the tree verified at the end of the poll, if any.
        public var verifiedSize: UInt64?
    }

    let source: any LogSource
    let key: LogKey
    let configuration: Configuration
    let sink: FindingSink
    public var onProgress: (@Sendable (Progress) -> Void)?

    public init(source: any LogSource, key: LogKey, configuration: Configuration, sink: FindingSink) {
        self.source = source
        self.key = key
        self.configuration = configuration
        self.sink = sink
    }

    var log: String { source.transport.base }

    /// One round: check the latest checkpoint, then scan up to it. Findings are delivered as they
    /// are made; operational trouble (unreachable log, unreadable state, undeliverable finding)
    /// is thrown and leaves the state where it was.
    public func poll() async throws(ClientError) -> Summary {
        var summary = Summary()
        let directory = configuration.stateDirectory
        var state = try MonitorState.load(directory: directory) ?? {
            let start = MonitorState.Cursor(position: configuration.fromIndex ?? 0,
                                            range: (configuration.fromIndex ?? 0) == 0 ? CompactRange() : nil, nextSeq: 1)
            return MonitorState(log: log, verified: nil, base: start, target: nil, cursor: start)
        }()
        guard state.log == log else {
            throw .state(path: MonitorState.path(in: directory), reason: "it follows \(state.log), not \(log); use another --state directory")
        }
        let verified = try state.verified.map { (note: String) throws(ClientError) in try reopen(note) }
        let target = try state.target.map { (note: String) throws(ClientError) in try reopen(note) }
        summary.verifiedSize = verified?.checkpoint.size

        let note = try await source.latestCheckpoint()
        let latest: SignedCheckpoint
        do { latest = SignedCheckpoint(note: note, checkpoint: try key.open(note).checkpoint) } catch {
            var finding = Finding(kind: .badSignature, log: log, reason: "the latest checkpoint does not verify with the log key: \(error)")
            finding.checkpoints = [note]
            return try await report(finding, summary)
        }
        for known in [verified, target].compactMap({ $0 }) {
            if let finding = try await compare(known, latest, proofFrom: source) { return try await report(finding, summary) }
        }
        for peer in configuration.peers {
            if let finding = try await compare(peer: peer, latest) { return try await report(finding, summary) }
        }

        // Scan to the latest checkpoint. A scan that read every entry of its target but died
        // before judging the root (the crash window after the last chunk's state write) is
        // judged now, against the latest checkpoint of that size.
        let size = latest.checkpoint.size
        let judgeOnly = state.target != nil && size == state.cursor.position && state.cursor.roots != nil
        guard size > state.cursor.position || judgeOnly else { return summary }
        state.target = note
        try await scan(&state, to: latest, summary: &summary)
        return summary
    }

    /// Reads entries `state.cursor.position ..< checkpoint.size`, chunk by chunk, then judges the root.
    private func scan(_ state: inout MonitorState, to checkpoint: SignedCheckpoint, summary: inout Summary) async throws(ClientError) {
        let directory = configuration.stateDirectory
        let size = checkpoint.checkpoint.size
        var range: CompactRange
        if let stored = try state.cursor.range() {
            range = stored
        } else {
            range = try await source.compactRange(size: state.cursor.position, treeSize: size)
            state.cursor = MonitorState.Cursor(position: range.size, range: range, nextSeq: state.cursor.nextSeq)
            state.base = state.cursor
        }
        let uuidPrefix = Self.treeIDPrefix(origin: checkpoint.checkpoint.origin)
        let start = state.cursor.position
        var nextSeq = state.cursor.nextSeq
        let batch = UInt64(source.preferredBatch)
        let source = self.source
        func fetch(_ from: UInt64) -> Task<[FetchedEntry], any Error>? {
            guard from < size else { return nil }
            let end = min(from + batch, size)
            return Task { try await source.entries(from..<end, treeSize: size) }
        }
        let examiner = EntryExaminer(log: log, watchList: configuration.watchList)
        onProgress?(Progress(done: 0, total: size - start, position: range.size, treeSize: size))
        var pending = fetch(state.cursor.position)
        while let current = pending {
            let entries: [FetchedEntry]
            do { entries = try await current.value } catch let error as ClientError { throw error } catch {
                throw .unreachable(log, reason: "\(error)")
            }
            pending = fetch(range.size + UInt64(entries.count))
            var findings: [Finding] = []
            for (offset, entry) in entries.enumerated() where entry.index != range.size + UInt64(offset) {
                throw .malformed(url: log, reason: "entry \(entry.index) served where \(range.size + UInt64(offset)) was asked")
            }
            for result in examiner.examine(entries, uuidPrefix: uuidPrefix) {
                range.append(result.leafHash)
                if var finding = result.finding {
                    finding.seq = nextSeq
                    nextSeq += 1
                    findings.append(finding)
                }
            }
            try await sink.deliver(findings)
            summary.findings += findings.count
            for finding in findings { summary.kinds[finding.kind.rawValue, default: 0] += 1 }
            summary.scanned += UInt64(entries.count)
            state.cursor = MonitorState.Cursor(position: range.size, range: range, nextSeq: nextSeq)
            try state.save(directory: directory)
            onProgress?(Progress(done: range.size - start, total: size - start, position: range.size, treeSize: size))
        }
        if range.root == checkpoint.checkpoint.root {
            state.verified = state.target
            state.base = state.cursor
            summary.verifiedSize = size
        } else {
            var finding = Finding(kind: .rootMismatch, log: log,
                                  reason: "the \(size) entries served hash to a root other than the one the checkpoint signs")
            finding.checkpoints = [checkpoint.note]
            finding.computedRoot = range.root.base64
            summary.findings += 1
            summary.kinds[finding.kind.rawValue, default: 0] += 1
            try await sink.deliver([finding])
            state.cursor = state.base
        }
        state.target = nil
        try state.save(directory: directory)
    }

    /// A Rekor-style origin `<host> - <tree ID>` gives entry IDs the tree ID's 16 hex digits.
    static func treeIDPrefix(origin: String) -> String {
        guard let dash = origin.range(of: " - ", options: .backwards), let treeID = Int64(origin[dash.upperBound...]),
              treeID > 0 else { return "" }
        return EntryID.treeIDHex(treeID)
    }

    /// A stored checkpoint, opened again with the key (a state file is not trusted more than the log).
    private func reopen(_ note: String) throws(ClientError) -> SignedCheckpoint {
        do { return SignedCheckpoint(note: note, checkpoint: try key.open(note).checkpoint) } catch {
            throw .state(path: MonitorState.path(in: configuration.stateDirectory), reason: "a stored checkpoint does not verify with this key: \(error)")
        }
    }

    private func report(_ finding: Finding, _ summary: Summary) async throws(ClientError) -> Summary {
        try await sink.deliver([finding])
        var summary = summary
        summary.findings += 1
        summary.kinds[finding.kind.rawValue, default: 0] += 1
        return summary
    }
}
