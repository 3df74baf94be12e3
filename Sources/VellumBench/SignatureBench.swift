import CVellumBenchCrypto
import Crypto
import Foundation
import VellumRekor

/// Checkpoint-sized signatures per second on one core: Ed25519 and ECDSA P-256 through
/// swift-crypto and through the system libcrypto, to confirm which library Vellum should use;
/// and Ed25519 verification through libsodium (pure, and Ed25519ph over a digest, as
/// hashedrekord and DSSE entries need), against swift-crypto's pure Ed25519.
struct SignatureBench {
    /// A checkpoint body of realistic size.
    let message = Array("rekor.example.com - 1234567890123456789\n10000000\nL/M/udjxT4nKMGKJYzM2oWj/P0Uy6PdBoAGdy0wdYKE=\n".utf8)

    func run() -> [String: Any] {
        var json: [String: Any] = [:]
        let batch = 200

        let ed = Curve25519.Signing.PrivateKey()
        let edSignature = try! ed.signature(for: message)
        let edSign = rate(work: batch) { for _ in 0..<batch { consume(try! ed.signature(for: message)) } }
        let edVerify = rate(work: batch) {
            for _ in 0..<batch { precondition(ed.publicKey.isValidSignature(edSignature, for: message)) }
        }

        // libsodium: pure Ed25519 on the same key and signature, and Ed25519ph over a SHA-512
        // digest (RFC 8032 TEST abc: no swift-crypto or libcrypto 3.0 counterpart).
        let edPublic = Array(ed.publicKey.rawRepresentation)
        let edBytes = Array(edSignature)
        let sodiumVerify = rate(work: batch) {
            for _ in 0..<batch { precondition(Ed25519Verification.verify(signature: edBytes, message: message, publicKey: edPublic)) }
        }
        let abcKey = hexBytes("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf")
        let abcSignature = hexBytes("98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406")
        let abcDigest = Array(SHA512.hash(data: Array("abc".utf8)))
        let phVerify = rate(work: batch) {
            for _ in 0..<batch {
                precondition(Ed25519Verification.verifyPrehashed(signature: abcSignature, digest: abcDigest, publicKey: abcKey))
            }
        }

        let p256 = P256.Signing.PrivateKey()
        let p256Signature = try! p256.signature(for: message)
        let p256Sign = rate(work: batch) { for _ in 0..<batch { consume(try! p256.signature(for: message).derRepresentation) } }
        let p256Verify = rate(work: batch) {
            for _ in 0..<batch { precondition(p256.publicKey.isValidSignature(p256Signature, for: message)) }
        }

        let osslEd = vellum_bench_ed25519_generate()!
        var osslEdSignature = [UInt8](repeating: 0, count: 64)
        precondition(vellum_bench_ed25519_sign(osslEd, message, message.count, &osslEdSignature) == 1)
        let osslEdSign = rate(work: batch) {
            for _ in 0..<batch { _ = vellum_bench_ed25519_sign(osslEd, message, message.count, &osslEdSignature) }
        }
        let osslEdVerify = rate(work: batch) {
            for _ in 0..<batch { precondition(vellum_bench_ed25519_verify(osslEd, message, message.count, osslEdSignature) == 1) }
        }

        let osslP256 = vellum_bench_p256_generate()!
        var osslP256Signature = [UInt8](repeating: 0, count: 80)
        var length = osslP256Signature.count
        precondition(vellum_bench_p256_sign(osslP256, message, message.count, &osslP256Signature, &length) == 1)
        let osslP256Sign = rate(work: batch) {
            for _ in 0..<batch {
                var l = 80
                _ = vellum_bench_p256_sign(osslP256, message, message.count, &osslP256Signature, &l)
                length = l
            }
        }
        length = osslP256Signature.count
        precondition(vellum_bench_p256_sign(osslP256, message, message.count, &osslP256Signature, &length) == 1)
        let osslP256Verify = rate(work: batch) {
            for _ in 0..<batch { precondition(vellum_bench_p256_verify(osslP256, message, message.count, osslP256Signature, length) == 1) }
        }
        vellum_bench_key_free(osslEd)
        vellum_bench_key_free(osslP256)

        func winner(_ swift: Double, _ ossl: Double) -> String {
            swift >= ossl ? String(format: "swift-crypto by %.2fx", swift / ossl) : String(format: "libcrypto by %.2fx", ossl / swift)
        }
        print("Ed25519 sign/s: swift-crypto \(human(edSign)), libcrypto \(human(osslEdSign)) → \(winner(edSign, osslEdSign))")
        print("Ed25519 verify/s: swift-crypto \(human(edVerify)), libcrypto \(human(osslEdVerify)) → \(winner(edVerify, osslEdVerify))")
        print("Ed25519 verify/s: swift-crypto \(human(edVerify)), libsodium \(human(sodiumVerify)); Ed25519ph verify/s (libsodium group operations): \(human(phVerify))")
        print("ECDSA P-256 sign/s: swift-crypto \(human(p256Sign)), libcrypto \(human(osslP256Sign)) → \(winner(p256Sign, osslP256Sign))")
        print("ECDSA P-256 verify/s: swift-crypto \(human(p256Verify)), libcrypto \(human(osslP256Verify)) → \(winner(p256Verify, osslP256Verify))")
        json["ed25519_sign_per_s"] = round4(edSign)
        json["ed25519_verify_per_s"] = round4(edVerify)
        json["p256_sign_per_s"] = round4(p256Sign)
        json["p256_verify_per_s"] = round4(p256Verify)
        json["libsodium_ed25519_verify_per_s"] = round4(sodiumVerify)
        json["libsodium_ed25519ph_verify_per_s"] = round4(phVerify)
        json["libcrypto_ed25519_sign_per_s"] = round4(osslEdSign)
        json["libcrypto_ed25519_verify_per_s"] = round4(osslEdVerify)
        json["libcrypto_p256_sign_per_s"] = round4(osslP256Sign)
        json["libcrypto_p256_verify_per_s"] = round4(osslP256Verify)
        return json
    }
}

private func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}
