import Dispatch
import Foundation
import VellumMerkle
import VellumRekor

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
        var results = [Result](repeating: Result(leafHash: .zero, finding: nil), count: count)
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / 64))
        results.withUnsafeMutableBufferPointer { buffer in
            let output = SliceOutput(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                for index in (count * slice / slices)..<(count * (slice + 1) / slices) {
                    let leafHash = RFC6962.leafHash(entries[index].body)
                    // Each slice writes only its own positions.
                    output.base[index] = Result(leafHash: leafHash, finding: examine(entries[index], leafHash: leafHash, uuidPrefix: uuidPrefix))
                }
            }
        }
        return results
    }

    /// The watch-list or parse finding for one entry, if any (the caller numbers it).
    func examine(_ entry: FetchedEntry, leafHash: Hash, uuidPrefix: String) -> Finding? {
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
        var finding = Finding(kind: .match, log: log, reason: "on the watch list: " + matches.map(\.rule).joined(separator: ", "))
        finding.logIndex = entry.index
        finding.entryUUID = uuidPrefix + leafHash.hex
        finding.entryKind = "\(logged.kind) \(logged.apiVersion)"
        finding.matches = matches
        return finding
    }

    private struct SliceOutput: @unchecked Sendable {
        let base: UnsafeMutablePointer<Result>
    }
}
