import Crypto
import Foundation
import VellumMerkle
import VellumNote
import VellumRekor
import X509

/// Checks a receipt offline with the log's key alone, and says what it checked: the SET over the
/// canonical body, the inclusion proof against the checkpoint's root, the checkpoint's signature,
/// that the body is what the bundle says was signed (signature, key or certificate, digest), that
/// the signature verifies, and with an artifact that the artifact is the one signed.
public struct ReceiptVerifier: Sendable {
    /// One named check and how it came out.
    public struct Check: Sendable, Codable, Equatable {
        public enum Outcome: String, Sendable, Codable { case passed, failed, skipped }
        public let name: String
        public let outcome: Outcome
        public let detail: String
    }

    let key: LogKey

    public init(key: LogKey) {
        self.key = key
    }

    /// Every check on `receipt`; `artifact` is the signed file's bytes when given.
    public func verify(_ receipt: Receipt, artifact: [UInt8]? = nil) -> [Check] {
        var checks: [Check] = []
        func record(_ name: String, _ outcome: Check.Outcome, _ detail: String) {
            checks.append(Check(name: name, outcome: outcome, detail: detail))
        }
        let leafHash = RFC6962.leafHash(receipt.body)

        // The SET: the log's signature over {body, integratedTime, logID, logIndex}.
        if let logKey = key.publicKey {
            let logID = Array(SHA256.hash(data: logKey.spki)).map { String(format: "%02x", $0) }.joined()
            record("log-id", logID == receipt.logID ? .passed : .failed,
                   logID == receipt.logID ? "the receipt names this key's log" : "the receipt names log \(receipt.logID), this key's is \(logID)")
            if let set = receipt.signedEntryTimestamp {
                let payload = SignedEntryTimestamp.payload(body: Data(receipt.body).base64EncodedString(), integratedTime: receipt.integratedTime,
                                                           logID: receipt.logID, logIndex: receipt.logIndex)
                let valid: Bool
                if case .p256(let p256) = logKey { valid = SignedEntryTimestamp.verify(signature: set, payload: payload, key: p256) } else { valid = false }
                record("signed-entry-timestamp", valid ? .passed : .failed,
                       valid ? "the log signed this body at index \(receipt.logIndex), time \(receipt.integratedTime)"
                             : "the SET does not verify over this body, index, time and log ID with the log key")
            } else {
                record("signed-entry-timestamp", .skipped, "the receipt has no SET")
            }
        } else {
            record("signed-entry-timestamp", .skipped, "a SET is checked with the log's PEM key (--log-key), not a note verifier key")
        }

        // The inclusion proof and the checkpoint that signs its root.
        if let proof = receipt.proof {
            do {
                try InclusionProof.verify(leafIndex: proof.leafIndex, treeSize: proof.treeSize, leafHash: leafHash,
                                          proof: proof.hashes, root: proof.rootHash)
                record("inclusion-proof", .passed, "leaf \(proof.leafIndex) is in the tree of \(proof.treeSize) with root \(proof.rootHash.base64)")
            } catch {
                record("inclusion-proof", .failed, "the body is not at leaf \(proof.leafIndex) of the tree of \(proof.treeSize) with that root: \(error)")
            }
            if let note = proof.checkpoint {
                do {
                    let checkpoint = try key.open(note).checkpoint
                    let matches = checkpoint.size == proof.treeSize && checkpoint.root == proof.rootHash
                    record("checkpoint", matches ? .passed : .failed,
                           matches ? "signed by the log: \(checkpoint.origin), size \(checkpoint.size)"
                                   : "the signed checkpoint is for size \(checkpoint.size), root \(checkpoint.root.base64), not the proof's")
                } catch {
                    record("checkpoint", .failed, "the checkpoint does not verify with the log key: \(error)")
                }
            } else {
                record("checkpoint", .failed, "the inclusion proof has no signed checkpoint")
            }
        } else if receipt.signedEntryTimestamp == nil {
            record("inclusion-proof", .failed, "the receipt has neither an inclusion proof nor a SET")
        } else {
            record("inclusion-proof", .skipped, "the receipt has no inclusion proof (a v0.1 bundle); the SET stands for it")
        }

        // The body, and what it says was signed.
        let entry: LoggedEntry
        do { entry = try LoggedEntry(body: receipt.body) } catch {
            record("body", .failed, "\(error)")
            return checks
        }
        if let claimed = receipt.kindVersion, claimed != (entry.kind, entry.apiVersion) {
            record("body", .failed, "the bundle says \(claimed.kind) \(claimed.version), the body is \(entry.kind) \(entry.apiVersion)")
        } else {
            record("body", .passed, "\(entry.kind) \(entry.apiVersion)")
        }
        checks += BodyChecks(receipt: receipt, entry: entry, artifact: artifact).run()
        return checks
    }
}
