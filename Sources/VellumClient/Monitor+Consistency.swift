import VellumMerkle
import VellumNote

extension Monitor {
    /// Judges a newer signed checkpoint against one verified before: same origin, never smaller,
    /// one root per size, and a consistency proof (RFC 6962 §2.1.2) from the old to the new,
    /// asked of `proofFrom`. Returns the finding, with both signed notes as evidence, or nil.
    func compare(_ old: SignedCheckpoint, _ new: SignedCheckpoint, proofFrom source: any LogSource,
                 vantage: String? = nil) async throws(ClientError) -> Finding? {
        let (a, b) = (old.checkpoint, new.checkpoint)
        let evidence = [old.note, new.note]
        let place = vantage.map { " (\($0))" } ?? ""
        func finding(_ kind: Finding.Kind, _ reason: String, proof: [Hash]? = nil) -> Finding {
            var finding = Finding(kind: kind, log: log, reason: reason + place)
            finding.checkpoints = evidence
            finding.proof = proof?.map(\.base64)
            return finding
        }
        guard a.origin == b.origin else {
            return finding(.inconsistent, "the origin changed from \(a.origin) to \(b.origin)")
        }
        if b.size < a.size {
            return finding(.rollback, "a checkpoint of size \(b.size) after one of size \(a.size)")
        }
        if b.size == a.size {
            return a.root == b.root ? nil : finding(.inconsistent, "two roots for size \(a.size)")
        }
        guard a.size > 0 else {
            return a.root == RFC6962.emptyRoot ? nil : finding(.inconsistent, "a size-0 checkpoint with a root other than the empty tree's")
        }
        let proof = try await source.consistencyProof(oldSize: a.size, newSize: b.size)
        do {
            try ConsistencyProof.verify(oldSize: a.size, newSize: b.size, oldRoot: a.root, newRoot: b.root, proof: proof)
            return nil
        } catch {
            return finding(.inconsistent, "no consistency from size \(a.size) to \(b.size): \(error)", proof: proof)
        }
    }

    /// Split views: the checkpoint a peer serves must be consistent with the log's own.
    func compare(peer: any LogSource, _ latest: SignedCheckpoint) async throws(ClientError) -> Finding? {
        let note = try await peer.latestCheckpoint()
        let seen: SignedCheckpoint
        do { seen = SignedCheckpoint(note: note, checkpoint: try key.open(note).checkpoint) } catch {
            var finding = Finding(kind: .badSignature, log: peer.transport.base,
                                  reason: "the checkpoint served by peer \(peer.transport.base) does not verify with the log key: \(error)")
            finding.checkpoints = [note]
            return finding
        }
        let vantage = "log \(log) against peer \(peer.transport.base)"
        if seen.checkpoint.size <= latest.checkpoint.size {
            guard var finding = try await compare(seen, latest, proofFrom: source, vantage: vantage) else { return nil }
            // A peer behind the log is not a rollback: it is stale, and only a fork counts.
            if finding.kind == .rollback { finding.kind = .inconsistent }
            return finding
        }
        return try await compare(latest, seen, proofFrom: peer, vantage: vantage)
    }

}

/// A checkpoint whose signature verified, with the note exactly as the log served it (evidence).
struct SignedCheckpoint: Sendable {
    let note: String
    let checkpoint: Checkpoint
}
