import Crypto
import Foundation
import VellumMerkle
import VellumRekor

/// The checkpoint a proof in a response was computed against.
struct ProofCheckpoint {
    var size: UInt64
    var root: Hash
    /// The signed note as stored (all signature lines); responses carry its Rekor v1 form.
    var note: String
}

extension RekorLog {
    /// The 80-hex entry ID: the tree ID as 16 hex digits, then the leaf hash (spec §5.4).
    func entryID(_ leafHash: Hash) -> String { EntryID(treeID: treeID, uuid: leafHash).hex }

    /// The index of the entry an ID names: a bare UUID or an 80-hex ID of this tree (another
    /// tree's ID is well-formed but names nothing here).
    func index(of id: EntryID) throws -> UInt64? {
        if let tree = id.treeID, tree != treeID { return nil }
        return try storage.index(ofIdentity: id.uuid)
    }

    /// A Rekor v1 LogEntry, `{"<entryID>": {...}}` (spec §2), with a freshly signed
    /// SignedEntryTimestamp over the JCS of body, integratedTime, logID and logIndex (§2.1).
    /// - Parameter attestation: an intoto entry's stored statement, returned on reads as
    ///   `attestation.data` (first, as Go writes the struct); never covered by the SET.
    func logEntryJSON(body: some Collection<UInt8>, entryID: String, index: UInt64, integratedTime: UInt64,
                      proof: [Hash], checkpoint: ProofCheckpoint, attestation: [UInt8]? = nil) throws -> [UInt8] {
        let set: String
        if let known = stamps.withLock({ $0[index]?.signedEntryTimestamp }) {
            set = known
        } else {
            let payload = SignedEntryTimestamp.payload(body: Data(body).base64EncodedString(), integratedTime: Int64(integratedTime),
                                                       logID: logID.hex, logIndex: Int64(index))
            set = Data(try SignedEntryTimestamp.sign(payload: payload, with: logKey)).base64EncodedString()
            remember(EntryStamp(integratedTime: integratedTime, signedEntryTimestamp: set), of: index)
        }
        // Keys in the order Go's Rekor writes them (alphabetical). Base64 and hex are written
        // straight into the buffer: a lookup answers ~3 KiB, most of it those two.
        var json = JSONWriter(capacity: (body.count + (attestation?.count ?? 0)) * 4 / 3 + 68 * proof.count + 1024)
        json.beginObject()
        json.key(entryID)
        json.beginObject()
        if let attestation {
            json.key("attestation")
            json.beginObject()
            json.key("data"); json.base64String(attestation)
            json.endObject()
        }
        json.key("body"); json.base64String(body)
        json.key("integratedTime"); json.integer(Int64(integratedTime))
        json.key("logID"); json.hex(logID)
        json.key("logIndex"); json.integer(Int64(index))
        json.key("verification")
        json.beginObject()
        json.key("inclusionProof")
        json.beginObject()
        json.key("checkpoint"); json.string(v1Note(checkpoint.note))
        json.key("hashes"); json.hexArray(proof)
        json.key("logIndex"); json.integer(Int64(index))
        json.key("rootHash"); json.hex(checkpoint.root)
        json.key("treeSize"); json.integer(Int64(checkpoint.size))
        json.endObject()
        json.key("signedEntryTimestamp"); json.string(set)
        json.endObject()
        json.endObject()
        json.endObject()
        return json.bytes
    }

    /// The LogEntry for the stored entry at `index`, with a proof against `checkpoint`; nil
    /// when `checkpoint` does not cover it.
    func storedLogEntryJSON(index: UInt64, checkpoint: ProofCheckpoint) throws -> [UInt8]? {
        guard let entry = try entry(at: index, treeSize: checkpoint.size) else { return nil }
        let proof = try inclusionProof(index: index, treeSize: checkpoint.size)
        return try logEntryJSON(body: entry.body, entryID: entryID(RFC6962.leafHash(entry.body)), index: index,
                                integratedTime: entry.integratedTime, proof: proof, checkpoint: checkpoint,
                                attestation: try storedAttestation(index: index, body: entry.body))
    }

    /// The statement kept with the entry at `index`, when the server keeps attestations and the
    /// entry is an intoto one (only those have one: the store is asked for no other kind).
    func storedAttestation(index: UInt64, body: [UInt8]) throws -> [UInt8]? {
        guard maxAttestationBytes != nil, Self.isInToto(body) else { return nil }
        return try storage.attachment(index: index)
    }

    /// Whether a canonical body is an intoto entry's: RFC 8785 puts `apiVersion` first, then
    /// `kind`, so the kind sits at a fixed place after the version.
    static func isInToto(_ body: [UInt8]) -> Bool {
        let prefixes = [Array(#"{"apiVersion":"0.0.2","kind":"intoto","#.utf8), Array(#"{"apiVersion":"0.0.1","kind":"intoto","#.utf8)]
        return prefixes.contains { body.starts(with: $0) }
    }

    /// The latest checkpoint, as proofs in read responses use it. A node that does not sequence
    /// (several nodes on a shared store) learns of new checkpoints every few hundred
    /// milliseconds; asked about an entry beyond its view, it reads the store's latest first,
    /// so an upload answered by another node can be looked up here at once.
    func proofCheckpoint(covering index: UInt64? = nil) throws -> ProofCheckpoint {
        if let index, sequencer == nil, index >= (lastCommitted?.size ?? 0) { try refreshLatestCheckpoint() }
        return try proofCheckpoint()
    }

    func proofCheckpoint() throws -> ProofCheckpoint {
        if let latest = lastCommitted { return ProofCheckpoint(size: latest.size, root: latest.root, note: latest.note) }
        let latest = try latestCheckpoint()
        return ProofCheckpoint(size: latest.size, root: latest.root, note: String(decoding: latest.note, as: UTF8.self))
    }
}
