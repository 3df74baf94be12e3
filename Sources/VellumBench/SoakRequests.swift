import Crypto
import Dispatch
import Foundation
import VellumSync
import VellumMerkle

/// The uploads of `scripts/soak`: hashedrekord 0.0.1 requests, upload number `n` signing the
/// SHA-256 of `vellum soak <nonce> <n>` with one of 1,024 P-256 keys (so the key fingerprints
/// repeat, as a signer's do, and every artifact digest is new). Signed ahead on a thread of its
/// own, so the event loop only sends; a verifier recomputes any upload's digest from `n`.
final class SoakRequests: Sendable {
    let nonce: UInt64
    private let keys: [(key: P256.Signing.PrivateKey, pemBase64: String)]
    private let ready = Locked<(chunks: [[(n: Int, body: [UInt8])]], next: Int, stopped: Bool)>(([], 0, false))
    private let wanted = DispatchSemaphore(value: 0)
    static let chunkSize = 1024
    /// Chunks kept signed ahead (~1.6 s of uploads at 10 k/s).
    static let chunksAhead = 16

    init(nonce: UInt64 = UInt64.random(in: 0...UInt64.max), keyCount: Int = 1024) {
        self.nonce = nonce
        keys = (0..<keyCount).map { _ in
            let key = P256.Signing.PrivateKey()
            return (key, Data((key.publicKey.pemRepresentation + "\n").utf8).base64EncodedString())
        }
    }

    /// The artifact upload `n` signs.
    static func artifact(nonce: UInt64, n: Int) -> [UInt8] { Array("vellum soak \(nonce) \(n)".utf8) }

    /// The SHA-256 of upload `n`'s artifact, as the request and the logged body carry it.
    static func digest(nonce: UInt64, n: Int) -> Hash { RFC6962.sha256(of: artifact(nonce: nonce, n: n)) }

    /// Upload `n`'s request body.
    func body(_ n: Int) -> [UInt8] {
        let (key, pem) = keys[n % keys.count]
        let artifact = Self.artifact(nonce: nonce, n: n)
        // Signing the artifact signs its SHA-256 (ECDSA P-256 with SHA-256), the digest sent.
        let signature = try! key.signature(for: artifact).derRepresentation.base64EncodedString()
        return Array(HTTPBench.request(hex: RFC6962.sha256(of: artifact).hex, signatureBase64: signature, publicKeyPEMBase64: pem).utf8)
    }

    /// Microseconds of this thread's time per upload body (signing included).
    func microsecondsPerBody(samples: Int = 2000) -> Double {
        let start = now()
        for n in 0..<samples { consume(body(n)) }
        return (now() - start) / Double(samples) * 1e6
    }

    /// Starts the signing thread.
    func start() {
        let thread = Thread { [self] in
            while true {
                let (n, stop) = ready.withLock { state -> (Int?, Bool) in
                    guard state.chunks.count < Self.chunksAhead else { return (nil, state.stopped) }
                    defer { state.next += Self.chunkSize }
                    return (state.next, state.stopped)
                }
                if stop { return }
                guard let first = n else {
                    wanted.wait()
                    continue
                }
                let chunk = (first..<first + Self.chunkSize).map { ($0, body($0)) }
                ready.withLock { $0.chunks.append(chunk) }
            }
        }
        thread.start()
        for _ in 0..<Self.chunksAhead { wanted.signal() }
    }

    func stop() {
        ready.withLock { $0.stopped = true }
        wanted.signal()
    }

    /// The next chunk of signed uploads, in order of `n`; signs one here if the thread is behind.
    func nextChunk() -> [(n: Int, body: [UInt8])] {
        let taken = ready.withLock { state -> [(n: Int, body: [UInt8])]? in
            state.chunks.isEmpty ? nil : state.chunks.removeFirst()
        }
        if let taken {
            wanted.signal()
            return taken
        }
        let n = ready.withLock { state in
            defer { state.next += Self.chunkSize }
            return state.next
        }
        return (n..<n + Self.chunkSize).map { ($0, body($0)) }
    }

    /// Requests that must be refused with a 4xx and change nothing, and the status each gets.
    static let badUploads: [(name: String, body: [UInt8], status: Int)] = [
        ("truncated JSON", Array(#"{"kind":"#.utf8), 400),
        ("unknown kind", Array(#"{"apiVersion":"0.0.1","kind":"rekord","spec":{}}"#.utf8), 400),
        ("no signature", Array(#"{"apiVersion":"0.0.1","kind":"hashedrekord","spec":{"data":{"hash":{"algorithm":"sha256","value":"00"}}}}"#.utf8), 400),
        ("array body", Array("[]".utf8), 400),
        ("over the size limit", [UInt8](repeating: UInt8(ascii: " "), count: (1 << 20) + 1), 413),
    ]

    /// A well-formed upload whose signature does not verify (its digest differs from the one
    /// signed): 400, nothing logged.
    func badlySigned(_ n: Int) -> [UInt8] {
        let (key, pem) = keys[n % keys.count]
        let signature = try! key.signature(for: Self.artifact(nonce: nonce, n: n)).derRepresentation.base64EncodedString()
        let claimed = Self.digest(nonce: nonce ^ 1, n: n)
        return Array(HTTPBench.request(hex: claimed.hex, signatureBase64: signature, publicKeyPEMBase64: pem).utf8)
    }
}

extension SHA256.Digest {
    var hex: String { Hash(Array(self))!.hex }
}
