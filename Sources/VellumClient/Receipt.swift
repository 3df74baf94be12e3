import Foundation
import VellumMerkle

/// What a log handed back for one entry, from either form a client keeps: a Sigstore bundle
/// (v0.1, v0.2, v0.3 JSON) or a Rekor v1 LogEntry (`{"<uuid>": {...}}`, as create, lookup and
/// retrieve answer). Only parsed here; ``ReceiptVerifier`` judges it.
public struct Receipt: Sendable {
    public struct Proof: Sendable {
        public var leafIndex: UInt64
        public var treeSize: UInt64
        public var rootHash: Hash
        public var hashes: [Hash]
        /// The signed checkpoint, as a note.
        public var checkpoint: String?
    }

    /// What the bundle says was signed, to hold the logged body against.
    public enum Content: Sendable {
        /// A signature over an artifact digest (hashedrekord).
        case messageSignature(digestAlgorithm: String, digest: [UInt8], signature: [UInt8])
        /// A DSSE envelope (dsse, intoto).
        case envelope(payloadType: String, payload: [UInt8], signatures: [[UInt8]])
    }

    /// `bundle <mediaType>` or `Rekor v1 LogEntry`.
    public var form: String
    public var body: [UInt8]
    /// The entry's log-wide index (the SET covers it).
    public var logIndex: Int64
    public var integratedTime: Int64
    /// The log ID as lowercase hex (SHA-256 of the log key's SPKI).
    public var logID: String
    public var signedEntryTimestamp: [UInt8]?
    public var proof: Proof?
    /// The entry UUID the log gave (LogEntry form only).
    public var entryUUID: String?
    /// The kind and version the bundle claims for the body.
    public var kindVersion: (kind: String, version: String)?
    /// The bundle's signing certificate chain (DER, leaf first), if it has one.
    public var certificates: [[UInt8]] = []
    public var content: Content?

    /// Every receipt in a JSON document: one bundle, one LogEntry map (one or more UUIDs), or an
    /// array of LogEntry maps (retrieve and search answers).
    public static func parse(_ bytes: [UInt8]) throws(ClientError) -> [Receipt] {
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes)) else { throw malformed("not JSON") }
        if let object = json as? [String: Any], let mediaType = object["mediaType"] as? String {
            return [try bundle(object, mediaType: mediaType)]
        }
        let maps: [[String: Any]]
        if let object = json as? [String: Any] { maps = [object] } else if let array = json as? [[String: Any]] { maps = array } else {
            throw malformed("neither a Sigstore bundle nor a Rekor LogEntry")
        }
        var receipts: [Receipt] = []
        for map in maps {
            for (uuid, value) in map {
                guard let entry = value as? [String: Any] else { throw malformed("LogEntry \(uuid) is not an object") }
                receipts.append(try logEntry(entry, uuid: uuid))
            }
        }
        guard !receipts.isEmpty else { throw malformed("no entry in the document") }
        return receipts
    }

    static func logEntry(_ entry: [String: Any], uuid: String) throws(ClientError) -> Receipt {
        guard let body = (entry["body"] as? String).flatMap(base64), let logIndex = int(entry["logIndex"]),
              let integratedTime = int(entry["integratedTime"]), let logID = entry["logID"] as? String else {
            throw malformed("LogEntry \(uuid) lacks body, logIndex, integratedTime or logID")
        }
        let verification = entry["verification"] as? [String: Any]
        var receipt = Receipt(form: "Rekor v1 LogEntry", body: body, logIndex: logIndex, integratedTime: integratedTime,
                              logID: logID.lowercased())
        receipt.entryUUID = uuid
        receipt.signedEntryTimestamp = (verification?["signedEntryTimestamp"] as? String).flatMap(base64)
        if let proof = verification?["inclusionProof"] as? [String: Any] {
            receipt.proof = try Self.proof(proof, hashes: { hex in Hash(hex: hex) }, root: { Hash(hex: $0) },
                                           checkpoint: proof["checkpoint"] as? String)
        }
        return receipt
    }

    static func bundle(_ object: [String: Any], mediaType: String) throws(ClientError) -> Receipt {
        let known = ["application/vnd.dev.sigstore.bundle+json;version=0.1", "application/vnd.dev.sigstore.bundle+json;version=0.2",
                     "application/vnd.dev.sigstore.bundle+json;version=0.3", "application/vnd.dev.sigstore.bundle.v0.3+json"]
        guard known.contains(mediaType) else { throw malformed("bundle media type \(mediaType) is not v0.1, v0.2 or v0.3") }
        guard let material = object["verificationMaterial"] as? [String: Any],
              let entries = material["tlogEntries"] as? [[String: Any]], let entry = entries.first else {
            throw malformed("the bundle has no tlogEntries")
        }
        guard let body = (entry["canonicalizedBody"] as? String).flatMap(base64), let logIndex = int(entry["logIndex"]),
              let integratedTime = int(entry["integratedTime"]),
              let keyID = ((entry["logId"] as? [String: Any])?["keyId"] as? String).flatMap(base64) else {
            throw malformed("the bundle's tlog entry lacks canonicalizedBody, logIndex, integratedTime or logId")
        }
        var receipt = Receipt(form: "bundle \(mediaType)", body: body, logIndex: logIndex, integratedTime: integratedTime,
                              logID: keyID.map { String(format: "%02x", $0) }.joined())
        receipt.signedEntryTimestamp = ((entry["inclusionPromise"] as? [String: Any])?["signedEntryTimestamp"] as? String).flatMap(base64)
        if let proof = entry["inclusionProof"] as? [String: Any] {
            receipt.proof = try Self.proof(proof, hashes: { Hash(base64: $0) }, root: { Hash(base64: $0) },
                                           checkpoint: (proof["checkpoint"] as? [String: Any])?["envelope"] as? String)
        }
        if let kindVersion = entry["kindVersion"] as? [String: Any], let kind = kindVersion["kind"] as? String,
           let version = kindVersion["version"] as? String {
            receipt.kindVersion = (kind, version)
        }
        if let certificate = (material["certificate"] as? [String: Any])?["rawBytes"] as? String {
            receipt.certificates = [base64(certificate)].compactMap { $0 }
        } else if let chain = (material["x509CertificateChain"] as? [String: Any])?["certificates"] as? [[String: Any]] {
            receipt.certificates = chain.compactMap { ($0["rawBytes"] as? String).flatMap(base64) }
        }
        if let message = object["messageSignature"] as? [String: Any] {
            let digest = message["messageDigest"] as? [String: Any]
            guard let signature = (message["signature"] as? String).flatMap(base64) else { throw malformed("messageSignature has no signature") }
            receipt.content = .messageSignature(digestAlgorithm: digest?["algorithm"] as? String ?? "",
                                                digest: (digest?["digest"] as? String).flatMap(base64) ?? [], signature: signature)
        } else if let envelope = object["dsseEnvelope"] as? [String: Any] {
            guard let payload = (envelope["payload"] as? String).flatMap(base64), let payloadType = envelope["payloadType"] as? String else {
                throw malformed("dsseEnvelope lacks payload or payloadType")
            }
            let signatures = (envelope["signatures"] as? [[String: Any]] ?? []).compactMap { ($0["sig"] as? String).flatMap(base64) }
            receipt.content = .envelope(payloadType: payloadType, payload: payload, signatures: signatures)
        }
        return receipt
    }

    static func proof(_ proof: [String: Any], hashes: (String) -> Hash?, root: (String) -> Hash?,
                      checkpoint: String?) throws(ClientError) -> Proof {
        guard let leafIndex = int(proof["logIndex"]), leafIndex >= 0, let treeSize = int(proof["treeSize"]), treeSize > 0,
              let rootHash = (proof["rootHash"] as? String).flatMap(root) else {
            throw malformed("the inclusion proof lacks logIndex, treeSize or rootHash")
        }
        let items = proof["hashes"] as? [String] ?? []
        let parsed = items.compactMap(hashes)
        guard parsed.count == items.count else { throw malformed("an inclusion proof hash is not 32 bytes") }
        return Proof(leafIndex: UInt64(leafIndex), treeSize: UInt64(treeSize), rootHash: rootHash, hashes: parsed, checkpoint: checkpoint)
    }

    /// JSON numbers, or the decimal strings protobuf JSON uses for int64.
    static func int(_ value: Any?) -> Int64? {
        if let string = value as? String { return Int64(string) }
        if let number = value as? NSNumber { return number.int64Value }
        return nil
    }

    static func base64(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map(Array.init) }

    static func malformed(_ reason: String) -> ClientError { .malformed(url: "the receipt", reason: reason) }
}
