import Dispatch
import Foundation
import VellumMerkle
import VellumRekor
import VellumSync

/// Hashes and reads a chunk of entries on every core: a monitor's catch-up is bound by parsing
/// bodies (JSON, base64, PEM, X.509), not by the network. Results come back in entry order,
/// so the caller appends leaf hashes and numbers findings exactly as a sequential scan would.
struct EntryExaminer: Sendable {
    let log: String
    let watchList: WatchList

    struct Result: Sendable {
        var leafHash: Hash
        var finding: Finding?
    }

    func examine(_ entries: [FetchedEntry], uuidPrefix: String) -> [Result] {
        let count = entries.count
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 64))
        // Each slice hands its results over through a lock, which ThreadSanitizer sees (it does
        // not see dispatch_apply's own join on Linux).
        let done = Locked([[Result]](repeating: [], count: slices))
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            var mine: [Result] = []
            mine.reserveCapacity(count / slices + 1)
            for index in (count * slice / slices)..<(count * (slice + 1) / slices) {
                let leafHash = RFC6962.leafHash(entries[index].body)
                mine.append(Result(leafHash: leafHash, finding: examine(entries[index], leafHash: leafHash, uuidPrefix: uuidPrefix)))
            }
            done.withLock { $0[slice] = mine }
        }
        return done.withLock { $0.flatMap { $0 } }
    }

    /// The watch-list or parse finding for one entry, if any (the caller numbers it).
    func examine(_ entry: FetchedEntry, leafHash: Hash, uuidPrefix: String) -> Finding? {
        // The quick read first (certificate fields from the DER); the full one when a
        // certificate does not walk, so its error is the one reported.
        if let quick = try? LoggedEntry(body: entry.body, attestation: entry.attestation, parseKeys: false),
           let matches = watchList.isEmpty ? [] : watchList.quickMatches(quick) {
            return matches.isEmpty ? nil : match(entry, quick, matches, leafHash: leafHash, uuidPrefix: uuidPrefix)
        }
        let logged: LoggedEntry
        do { logged = try LoggedEntry(body: entry.body, attestation: entry.attestation) } catch {
            var finding = Finding(kind: .unparsableEntry, log: log, reason: "\(error)")
            finding.logIndex = entry.index
            finding.entryUUID = uuidPrefix + leafHash.hex
            return finding
        }
        guard !watchList.isEmpty else { return nil }
        let matches = watchList.matches(logged)
        guard !matches.isEmpty else { return nil }
        return match(entry, logged, matches, leafHash: leafHash, uuidPrefix: uuidPrefix)
    }

    private func match(_ entry: FetchedEntry, _ logged: LoggedEntry, _ matches: [WatchMatch], leafHash: Hash, uuidPrefix: String) -> Finding {
        var finding = Finding(kind: .match, log: log, reason: "on the watch list: " + matches.map(\.rule).joined(separator: ", "))
        finding.logIndex = entry.index
        finding.entryUUID = uuidPrefix + leafHash.hex
        finding.entryKind = "\(logged.kind) \(logged.apiVersion)"
        finding.matches = matches
        return finding
    }

}
