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
        try write(path: path, count: count, kind: "hashedrekord") { request(artifact: "vellum bench \($0)") }
    }

    /// Writes `count` requests made by `make` (given a distinct artifact name), one per line,
    /// signing on both cores.
    static func write(path: String, count: Int, kind: String, _ make: @escaping @Sendable (String) -> String) throws {
        let workers = 2
        let lines = Locked([[String]](repeating: [], count: workers))
        let chunk = (count + workers - 1) / workers
        let nonce = UInt64.random(in: 0...UInt64.max)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var mine: [String] = []
            for number in (worker * chunk)..<min(count, (worker + 1) * chunk) {
                mine.append(make("\(nonce) \(number)"))
            }
            lines.withLock { $0[worker] = mine }
        }
        let text = lines.withLock { $0.joined().joined(separator: "\n") } + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(count) signed \(kind) requests to \(path)")
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

    /// Writes `count` dsse 0.0.1 requests as sigstore-python sends them, one per line: an in-toto
    /// statement about a distinct artifact, signed over the DSSE PAE by its own P-256 key, the key
    /// as the one verifier.
    static func prepareDSSE(path: String, count: Int) throws {
        try write(path: path, count: count, kind: "dsse") { dsseRequest(artifact: "vellum bench dsse \($0)") }
    }

    static let inTotoType = "application/vnd.in-toto+json"

    static func statement(artifact: String) -> [UInt8] {
        let digest = SHA256.hash(data: Array(artifact.utf8)).hex
        return Array(#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"artifact","digest":{"sha256":"\#(digest)"}}],"predicateType":"https://slsa.dev/provenance/v1","predicate":{"buildDefinition":{"buildType":"https://vellum.invalid/bench"}}}"#.utf8)
    }

    static func pae(_ payload: [UInt8]) -> [UInt8] {
        Array("DSSEv1 \(inTotoType.utf8.count) \(inTotoType) \(payload.count) ".utf8) + payload
    }

    static func dsseRequest(artifact: String) -> String {
        let key = P256.Signing.PrivateKey()
        let payload = statement(artifact: artifact)
        let sig = try! key.signature(for: pae(payload)).derRepresentation.base64EncodedString()
        let envelope = #"{"payload":"\#(Data(payload).base64EncodedString())","payloadType":"\#(inTotoType)","signatures":[{"keyid":"","sig":"\#(sig)"}]}"#
        let escaped = envelope.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let verifier = Data((key.publicKey.pemRepresentation + "\n").utf8).base64EncodedString()
        return #"{"apiVersion":"0.0.1","kind":"dsse","spec":{"proposedContent":{"envelope":"\#(escaped)","verifiers":["\#(verifier)"]},"signatures":null,"envelopeHash":null,"payloadHash":null}}"#
    }

    /// The crypto an upload cannot avoid, in µs of one core (one thread, no other load): for a
    /// hashedrekord, parsing its P-256 key from PEM, verifying its signature over the digest and
    /// signing the SET; for a dsse entry, the same with the signature over the PAE (hashed, as
    /// ECDSA P-256 with SHA-256 does) and the two SHA-256 of the envelope and payload. Prints
    /// one JSON line: `crypto_us_per_upload`, `dsse_crypto_us_per_upload`.
    static func cryptoPerUpload(seconds: Double = 2) {
        let signer = P256.Signing.PrivateKey()
        let pem = signer.publicKey.pemRepresentation
        let digest = SHA256.hash(data: Array("upload".utf8))
        let signature = try! signer.signature(for: digest)
        let setPayload = Array(repeating: UInt8(7), count: 200)
        let hashed = rate(seconds: seconds, work: 1) {
            let key = try! P256.Signing.PublicKey(pemRepresentation: pem)
            precondition(key.isValidSignature(signature, for: digest))
            consume(try! signer.signature(for: setPayload))
        }
        let payload = statement(artifact: "upload")
        let envelope = Array(#"{"payload":"\#(Data(payload).base64EncodedString())","payloadType":"\#(inTotoType)","signatures":[]}"#.utf8)
        let dsseSignature = try! signer.signature(for: pae(payload))
        let dsse = rate(seconds: seconds, work: 1) {
            let key = try! P256.Signing.PublicKey(pemRepresentation: pem)
            precondition(key.isValidSignature(dsseSignature, for: pae(payload)))
            consume(SHA256.hash(data: envelope))
            consume(SHA256.hash(data: payload))
            consume(try! signer.signature(for: setPayload))
        }
        print(String(format: "crypto per upload on one core: hashedrekord %.1f µs, dsse %.1f µs", 1e6 / hashed, 1e6 / dsse))
        print(String(format: #"{"crypto_us_per_upload":%.1f,"dsse_crypto_us_per_upload":%.1f}"#, 1e6 / hashed, 1e6 / dsse))
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
