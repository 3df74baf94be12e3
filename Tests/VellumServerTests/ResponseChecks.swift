import Crypto
import Foundation
import VellumMerkle
import VellumNote

/// Checks a client can make with nothing but the responses and the log's public key.
struct ResponseChecks {
    let publicKey: P256.Signing.PublicKey
    let hostname: String
    let treeID: String

    var logID: String { RFC6962.sha256(of: Array(publicKey.derRepresentation)).hex }
    var origin: String { "\(hostname) - \(treeID)" }

    /// What a verified LogEntry says.
    struct Entry {
        var entryID: String
        var body: [UInt8]
        var logIndex: UInt64
        var integratedTime: UInt64
        var treeSize: UInt64
        var rootHash: Hash
    }

    /// Verifies a LogEntry map: IDs, SET, inclusion proof and its checkpoint (Rekor v1 form,
    /// exactly one ECDSA signature line under the log's key).
    func verifyLogEntry(_ json: Any) throws -> Entry {
        guard let map = json as? [String: Any], map.count == 1, let (entryID, value) = map.first,
              let entry = value as? [String: Any] else { throw TestFailure("not a LogEntry map: \(json)") }
        guard entryID.count == 80, entryID.hasPrefix(String(format: "%016llx", UInt64(treeID)!)) else {
            throw TestFailure("entry ID \(entryID) does not start with the tree ID")
        }
        guard let bodyText = entry["body"] as? String, let body = Data(base64Encoded: bodyText),
              let index = entry["logIndex"] as? Int, let time = entry["integratedTime"] as? Int,
              let logID = entry["logID"] as? String,
              let verification = entry["verification"] as? [String: Any],
              let setText = verification["signedEntryTimestamp"] as? String, let set = Data(base64Encoded: setText),
              let proof = verification["inclusionProof"] as? [String: Any],
              let proofIndex = proof["logIndex"] as? Int, let treeSize = proof["treeSize"] as? Int,
              let rootHex = proof["rootHash"] as? String, let root = Hash(hex: rootHex),
              let hashes = proof["hashes"] as? [String], let checkpoint = proof["checkpoint"] as? String else {
            throw TestFailure("LogEntry lacks fields: \(entry)")
        }
        let leafHash = RFC6962.leafHash(Array(body))
        guard entryID.hasSuffix(leafHash.hex) else { throw TestFailure("UUID is not the leaf hash of the body") }
        guard logID == self.logID else { throw TestFailure("logID \(logID) is not SHA-256 of the key, \(self.logID)") }
        guard proofIndex == index else { throw TestFailure("proof index \(proofIndex) != logIndex \(index)") }
        // SET: ECDSA over SHA-256 of the JCS of exactly these four fields (keys in JCS order).
        let payload = "{\"body\":\"\(bodyText)\",\"integratedTime\":\(time),\"logID\":\"\(logID)\",\"logIndex\":\(index)}"
        let setSignature = try P256.Signing.ECDSASignature(derRepresentation: set)
        guard publicKey.isValidSignature(setSignature, for: Array(payload.utf8)) else { throw TestFailure("SET does not verify") }
        try InclusionProof.verify(leafIndex: UInt64(index), treeSize: UInt64(treeSize), leafHash: leafHash,
                                  proof: try hashes.map { guard let h = Hash(hex: $0) else { throw TestFailure("bad hash") }; return h },
                                  root: root)
        let verified = try verifyV1Checkpoint(checkpoint)
        guard verified.size == UInt64(treeSize), verified.root == root else {
            throw TestFailure("checkpoint \(verified.size)/\(verified.root.hex) does not match the proof \(treeSize)/\(rootHex)")
        }
        return Entry(entryID: entryID, body: Array(body), logIndex: UInt64(index), integratedTime: UInt64(time),
                     treeSize: UInt64(treeSize), rootHash: root)
    }

    /// A Rekor v1 checkpoint: our origin, exactly one signature line, by the log key.
    func verifyV1Checkpoint(_ text: String) throws -> Checkpoint {
        let signatureLines = text.split(separator: "\n").filter { $0.hasPrefix("\u{2014} ") }
        guard signatureLines.count == 1 else { throw TestFailure("\(signatureLines.count) signature lines in a v1 checkpoint") }
        let verifier = try ECDSANoteVerifier(name: hostname, publicKey: publicKey)
        let opened = try Checkpoint.open(text, verifiers: [verifier]).checkpoint
        guard opened.origin == origin else { throw TestFailure("origin \(opened.origin) != \(origin)") }
        return opened
    }
}
