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
    func logEntryJSON(body: some Collection<UInt8>, leafHash: Hash, index: UInt64, integratedTime: UInt64,
                      proof: [Hash], checkpoint: ProofCheckpoint) throws -> [UInt8] {
        let bodyBase64 = Data(body).base64EncodedString()
        let payload = SignedEntryTimestamp.payload(body: bodyBase64, integratedTime: Int64(integratedTime),
                                                   logID: logID.hex, logIndex: Int64(index))
        let set = try SignedEntryTimestamp.sign(payload: payload, with: logKey)
        var json = JSONBuilder(capacity: bodyBase64.utf8.count + 64 * proof.count + 1024)
        json.raw("{\""); json.plain(entryID(leafHash)); json.raw("\":{\"body\":\"")
        json.plain(bodyBase64)
        json.raw("\",\"integratedTime\":"); json.number(integratedTime)
        json.raw(",\"logID\":\""); json.plain(logID.hex)
        json.raw("\",\"logIndex\":"); json.number(index)
        json.raw(",\"verification\":{\"inclusionProof\":{\"checkpoint\":"); json.string(v1Note(checkpoint.note))
        json.raw(",\"hashes\":"); json.hexArray(proof)
        json.raw(",\"logIndex\":"); json.number(index)
        json.raw(",\"rootHash\":\""); json.plain(checkpoint.root.hex)
        json.raw("\",\"treeSize\":"); json.number(checkpoint.size)
        json.raw("},\"signedEntryTimestamp\":\""); json.plain(Data(set).base64EncodedString())
        json.raw("\"}}}")
        return json.bytes
    }

    /// The LogEntry for the stored entry at `index`, with a proof against `checkpoint`; nil
    /// when `checkpoint` does not cover it.
    func storedLogEntryJSON(index: UInt64, checkpoint: ProofCheckpoint) throws -> [UInt8]? {
        guard let entry = try entry(at: index, treeSize: checkpoint.size) else { return nil }
        let proof = try inclusionProof(index: index, treeSize: checkpoint.size)
        return try logEntryJSON(body: entry.body, leafHash: RFC6962.leafHash(entry.body), index: index,
                                integratedTime: entry.integratedTime, proof: proof, checkpoint: checkpoint)
    }

    /// The latest checkpoint, as proofs in read responses use it.
    func proofCheckpoint() throws -> ProofCheckpoint {
        let latest = try latestCheckpoint()
        return ProofCheckpoint(size: latest.size, root: latest.root, note: String(decoding: latest.note, as: UTF8.self))
    }
}
