import Crypto
import Dispatch
import Foundation
import Synchronization
import VellumSync

/// Helpers for `scripts/bench http`, which drives a release `vellum serve` with wrk.
enum HTTPBench {
    /// Writes `count` hashedrekord 0.0.1 requests, one JSON document per line, each signed by
    /// its own fresh P-256 key over the SHA-256 of a distinct artifact, so the server must
    /// parse a new key and verify a new signature for every upload.
    static func prepare(path: String, count: Int) throws {
        let workers = 2
        let lines = Locked([[String]](repeating: [], count: workers))
        let chunk = (count + workers - 1) / workers
        let nonce = UInt64.random(in: 0...UInt64.max)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var mine: [String] = []
            for number in (worker * chunk)..<min(count, (worker + 1) * chunk) {
                mine.append(request(artifact: "vellum bench \(nonce) \(number)"))
            }
            lines.withLock { $0[worker] = mine }
        }
        let text = lines.withLock { $0.joined().joined(separator: "\n") } + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(count) signed hashedrekord requests to \(path)")
    }

    static func request(artifact: String) -> String {
        let key = P256.Signing.PrivateKey()
        return request(digest: SHA256.hash(data: Array(artifact.utf8)), key: key,
                       publicKeyPEMBase64: Data((key.publicKey.pemRepresentation + "\n").utf8).base64EncodedString())
    }

    /// A hashedrekord 0.0.1 request signing `digest` with `key` (whose PEM, base64, is given).
    static func request(digest: SHA256.Digest, key: P256.Signing.PrivateKey, publicKeyPEMBase64: String) -> String {
        let signature = try! key.signature(for: digest).derRepresentation.base64EncodedString()
        return request(hex: digest.hex, signatureBase64: signature, publicKeyPEMBase64: publicKeyPEMBase64)
    }

    static func request(hex: String, signatureBase64: String, publicKeyPEMBase64: String) -> String {
        #"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":""#
            + hex + #""}},"signature":{"content":""# + signatureBase64 + #"","publicKey":{"content":""#
            + publicKeyPEMBase64 + #""}}}}"#
    }

    /// The per-upload cryptographic ceiling on this machine: one P-256 verification (key
    /// parsed from PEM, as the server must) plus one P-256 signature (the SET), on both cores
    /// at once. Prints one JSON line.
    static func cryptoCeiling(seconds: Double = 3) {
        let workers = 2
        let message = Array(repeating: UInt8(7), count: 200)
        let signer = P256.Signing.PrivateKey()
        let pem = signer.publicKey.pemRepresentation
        let digest = SHA256.hash(data: Array("ceiling".utf8))
        let signature = try! signer.signature(for: digest)
        let total = Atomic<Int>(0)
        let start = now()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var done = 0
            while now() - start < seconds {
                let key = try! P256.Signing.PublicKey(pemRepresentation: pem)
                precondition(key.isValidSignature(signature, for: digest))
                consume(try! signer.signature(for: message))
                done += 1
            }
            total.add(done, ordering: .relaxed)
        }
        let elapsed = now() - start
        let perSecond = Double(total.load(ordering: .relaxed)) / elapsed
        print("crypto ceiling: \(Int(perSecond)) (P-256 PEM parse + verify + P-256 sign) per second on \(workers) cores")
        print(#"{"crypto_ceiling_per_s":\#(Int(perSecond))}"#)
    }
}
