import Crypto
import Foundation
import SwiftASN1
import VellumRekor
import X509

/// The checks that hold a logged body against the receipt's bundle and the artifact: the
/// signature, key or certificate and digest the bundle carries are the ones the log recorded,
/// the signature verifies, and the artifact hashes to what was signed.
struct BodyChecks {
    let receipt: Receipt
    let entry: LoggedEntry
    let artifact: [UInt8]?
    let spec: [String: Any]

    init(receipt: Receipt, entry: LoggedEntry, artifact: [UInt8]?) {
        self.receipt = receipt
        self.entry = entry
        self.artifact = artifact
        let object = (try? JSONSerialization.jsonObject(with: Data(receipt.body))) as? [String: Any]
        self.spec = object?["spec"] as? [String: Any] ?? [:]
    }

    typealias Check = ReceiptVerifier.Check

    func run() -> [Check] {
        var checks = certificateCheck()
        switch entry.kind {
        case "hashedrekord": checks += hashedRekord()
        default: checks += envelope()
        }
        return checks
    }

    /// The bundle's leaf certificate is the one the body records.
    private func certificateCheck() -> [Check] {
        guard let bundleLeaf = receipt.certificates.first else { return [] }
        let logged = entry.verifiers.compactMap { $0.leaf }.compactMap { try? WatchList.der($0) }
        let same = logged.contains(bundleLeaf)
        return [Check(name: "bundle-certificate", outcome: same ? .passed : .failed,
                      detail: same ? "the logged certificate is the bundle's" : "the bundle's certificate is not the one the log recorded")]
    }

    private func hashedRekord() -> [Check] {
        var checks: [Check] = []
        let signature = ((spec["signature"] as? [String: Any])?["content"] as? String).flatMap { Data(base64Encoded: $0) }.map(Array.init) ?? []
        let hash = (spec["data"] as? [String: Any])?["hash"] as? [String: Any]
        let algorithmName = hash?["algorithm"] as? String ?? ""
        let digestHex = (hash?["value"] as? String ?? "").lowercased()
        let digest = Self.bytes(hex: digestHex)
        if case .messageSignature(let bundleAlgorithm, let bundleDigest, let bundleSignature)? = receipt.content {
            let sameSignature = bundleSignature == signature
            checks.append(Check(name: "bundle-signature", outcome: sameSignature ? .passed : .failed,
                                detail: sameSignature ? "the logged signature is the bundle's" : "the bundle's signature is not the one the log recorded"))
            let sameDigest = bundleDigest == digest && Self.algorithm(bundleAlgorithm) == algorithmName
            checks.append(Check(name: "bundle-digest", outcome: sameDigest ? .passed : .failed,
                                detail: sameDigest ? "\(algorithmName):\(digestHex)" : "the bundle's digest is not the logged \(algorithmName):\(digestHex)"))
        }
        if let verifier = entry.verifiers.first, let algorithm = HashAlgorithm(rawValue: algorithmName), let digest {
            do {
                try verifier.verify(signature: signature, digest: digest, hash: algorithm)
                checks.append(Check(name: "signature", outcome: .passed, detail: "the signature verifies over \(algorithmName):\(digestHex) with the logged key"))
            } catch {
                checks.append(Check(name: "signature", outcome: .failed, detail: "the signature does not verify over the logged digest: \(error)"))
            }
        } else {
            checks.append(Check(name: "signature", outcome: .failed, detail: "the body has no usable key or digest"))
        }
        if let artifact {
            let actual = Self.digest(artifact, algorithm: algorithmName)
            let same = actual == digestHex
            checks.append(Check(name: "artifact", outcome: same ? .passed : .failed,
                                detail: same ? "the artifact's \(algorithmName) is the signed digest" : "the artifact's \(algorithmName) is \(actual ?? "not computable"), the signed digest is \(digestHex)"))
        }
        return checks
    }

    /// dsse and intoto: the envelope's payload and signatures against the body.
    private func envelope() -> [Check] {
        var checks: [Check] = []
        guard case .envelope(let payloadType, let payload, let signatures)? = receipt.content else {
            checks.append(Check(name: "signature", outcome: .skipped,
                                detail: "a \(entry.kind) body does not carry the payload; verify the bundle that has the envelope"))
            if artifact != nil {
                checks.append(Check(name: "artifact", outcome: .failed, detail: "the artifact can only be checked against the envelope's statement"))
            }
            return checks
        }
        let payloadHash = "sha256:" + WatchList.hex(SHA256.hash(data: payload))
        let samePayload = entry.payloadHash == payloadHash
        checks.append(Check(name: "bundle-payload", outcome: samePayload ? .passed : .failed,
                            detail: samePayload ? "the logged payload hash is the envelope's" : "the envelope's payload hashes to \(payloadHash), the log recorded \(entry.payloadHash ?? "none")"))
        let logged = Set(loggedSignatures())
        if entry.kind == "intoto" && entry.apiVersion == "0.0.1" {
            checks.append(Check(name: "bundle-signature", outcome: .skipped, detail: "an intoto 0.0.1 body records the key, not the signatures"))
        } else {
        let sameSignatures = !signatures.isEmpty && signatures.allSatisfy { logged.contains($0) }
        checks.append(Check(name: "bundle-signature", outcome: sameSignatures ? .passed : .failed,
                            detail: sameSignatures ? "the envelope's signatures are the logged ones" : "the envelope's signatures are not the ones the log recorded"))
        }
        let verified = signatures.contains { signature in
            entry.verifiers.contains { $0.verifyDSSE(signature: signature, payloadType: payloadType, payload: payload) }
        }
        checks.append(Check(name: "signature", outcome: verified ? .passed : .failed,
                            detail: verified ? "a signature verifies over the envelope with a logged key" : "no signature verifies over the envelope with a logged key"))
        if let artifact {
            let statementDigests = Set(InTotoStatement.digestKeys(payload: payload).map { $0.lowercased() })
            let mine = ["sha256", "sha384", "sha512", "sha1"].compactMap { algorithm in Self.digest(artifact, algorithm: algorithm).map { "\(algorithm):\($0)" } }
            let found = mine.first { statementDigests.contains($0) }
            checks.append(Check(name: "artifact", outcome: found != nil ? .passed : .failed,
                                detail: found.map { "the statement names the artifact as a subject (\($0))" } ?? "the statement names no subject with the artifact's digest"))
        }
        return checks
    }

    /// The raw signatures the body records, whatever the kind's encoding.
    private func loggedSignatures() -> [[UInt8]] {
        func b64(_ text: String?) -> [UInt8]? { text.flatMap { Data(base64Encoded: $0) }.map(Array.init) }
        switch (entry.kind, entry.apiVersion) {
        case ("dsse", _):
            return (spec["signatures"] as? [[String: Any]] ?? []).compactMap { b64($0["signature"] as? String) }
        case ("intoto", "0.0.2"):
            let envelope = (spec["content"] as? [String: Any])?["envelope"] as? [String: Any]
            // The sig is base64 of the DSSE base64 string (dsse-intoto.md §1).
            return (envelope?["signatures"] as? [[String: Any]] ?? []).compactMap {
                b64($0["sig"] as? String).flatMap { b64(String(decoding: $0, as: UTF8.self)) }
            }
        default:
            return []
        }
    }

    static func algorithm(_ bundleName: String) -> String {
        ["SHA2_256": "sha256", "SHA2_384": "sha384", "SHA2_512": "sha512", "SHA1": "sha1"][bundleName] ?? bundleName.lowercased()
    }

    static func digest(_ bytes: [UInt8], algorithm: String) -> String? {
        switch algorithm {
        case "sha256": WatchList.hex(SHA256.hash(data: bytes))
        case "sha384": WatchList.hex(SHA384.hash(data: bytes))
        case "sha512": WatchList.hex(SHA512.hash(data: bytes))
        case "sha1": WatchList.hex(Insecure.SHA1.hash(data: bytes))
        default: nil
        }
    }

    static func bytes(hex: String) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            out.append(byte)
            index = next
        }
        return out
    }
}
