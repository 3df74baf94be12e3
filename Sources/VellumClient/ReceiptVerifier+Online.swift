import VellumMerkle
import VellumNote

extension ReceiptVerifier {
    /// `--online`: the log's current checkpoint, signed by the same key, and a consistency proof
    /// from the receipt's tree to it, so the entry is still in the tree everyone else is shown.
    public func online(_ receipt: Receipt, source: any LogSource) async throws(ClientError) -> Check {
        guard let proof = receipt.proof else {
            return Check(name: "online", outcome: .skipped, detail: "the receipt has no inclusion proof to extend")
        }
        let note = try await source.latestCheckpoint()
        let latest: Checkpoint
        do { latest = try key.open(note).checkpoint } catch {
            return Check(name: "online", outcome: .failed, detail: "the log's current checkpoint does not verify with the key: \(error)")
        }
        guard latest.size >= proof.treeSize else {
            return Check(name: "online", outcome: .failed, detail: "the log now signs size \(latest.size), smaller than the receipt's \(proof.treeSize)")
        }
        let hashes = latest.size == proof.treeSize ? [] : try await source.consistencyProof(oldSize: proof.treeSize, newSize: latest.size)
        do {
            try ConsistencyProof.verify(oldSize: proof.treeSize, newSize: latest.size, oldRoot: proof.rootHash, newRoot: latest.root, proof: hashes)
            return Check(name: "online", outcome: .passed, detail: "the log's current tree (size \(latest.size)) extends the receipt's")
        } catch {
            return Check(name: "online", outcome: .failed, detail: "the log's current tree (size \(latest.size)) is not consistent with the receipt's: \(error)")
        }
    }
}
