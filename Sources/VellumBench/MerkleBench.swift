import CVellumBenchCrypto
import CVellumSHA256
import Crypto
import Foundation
import VellumMerkle
import VellumNote
import VellumTesting

/// `scripts/bench merkle`: hashing ceiling, integration, proof building and checkpoint
/// signatures, all on one core.
struct MerkleBench {
    /// Smaller sizes, for a smoke run.
    var quick = false

    func run() {
        print("machine: \(machineDescription())")
        var json: [String: Any] = [:]

        // 1. The ceiling: 65-byte RFC 6962 node hashes per second on one core, four ways.
        let left = RFC6962.leafHash(Array("left".utf8)).bytes
        var right = RFC6962.leafHash(Array("right".utf8)).bytes
        var out = [UInt8](repeating: 0, count: 32)
        let batch = 100_000
        let lowLevel = rate(work: batch) {
            for _ in 0..<batch { vellum_sha256_node(left, right, &out); right[0] = out[0] }
        }
        let evp = rate(work: batch) {
            for _ in 0..<batch { vellum_sha256_node_evp(left, right, &out); right[0] = out[0] }
        }
        let oneShot = rate(work: batch) {
            for _ in 0..<batch { vellum_sha256_node_oneshot(left, right, &out); right[0] = out[0] }
        }
        var message = [UInt8](repeating: 1, count: 65)
        let swiftCrypto = rate(work: batch) {
            for _ in 0..<batch {
                let digest = SHA256.hash(data: message)
                digest.withUnsafeBytes { message[1] = $0[0] }
            }
        }
        var node = RFC6962.leafHash([1])
        let engine = rate(work: batch) {
            for _ in 0..<batch { node = RFC6962.nodeHash(left: node, right: node) }
        }
        consume(node)
        let ceiling = max(lowLevel, evp, oneShot, swiftCrypto)
        print("sha256 node hashes/s, one core: libcrypto SHA256_Init \(human(lowLevel)), libcrypto reused EVP_MD_CTX \(human(evp)), libcrypto one-shot SHA256() \(human(oneShot)), swift-crypto SHA256.hash \(human(swiftCrypto))")
        print("  winner: \(lowLevel >= ceiling ? "libcrypto SHA256_Init" : "see above"), \(String(format: "%.2f", lowLevel / swiftCrypto))x swift-crypto; RFC6962.nodeHash through the engine: \(human(engine))")
        json["sha256_node_hashes_per_s"] = round4(ceiling)
        json["sha256_libcrypto_lowlevel_per_s"] = round4(lowLevel)
        json["sha256_libcrypto_evp_per_s"] = round4(evp)
        json["sha256_libcrypto_oneshot_per_s"] = round4(oneShot)
        json["sha256_swift_crypto_per_s"] = round4(swiftCrypto)

        // 2. Leaf hashing of 300-byte entries.
        let entry = [UInt8](repeating: 0x61, count: 300)
        var leafSink = Hash.zero
        let leafRate = rate(work: batch) {
            for _ in 0..<batch { leafSink = RFC6962.leafHash(entry) }
        }
        consume(leafSink)
        print("leaf hashes of 300-byte entries/s: \(human(leafRate))")
        json["leaf_hash_300b_per_s"] = round4(leafRate)

        // 3. Integration into tiles in memory, in sequencer-sized batches.
        let sizes = quick ? [100_000, 1_000_000] : [1_000_000, 10_000_000]
        var store = TileStore()
        var integrateRate = 0.0
        for size in sizes {
            let leaves = (0..<size).map { RFC6962.leafHash(Array("leaf \($0)".utf8)) }
            store = TileStore()
            let batchSize = 4096
            let start = now()
            var offset = 0
            while offset < size {
                let end = min(offset + batchSize, size)
                store.append(leaves[offset..<end])
                offset = end
            }
            let elapsed = now() - start
            integrateRate = Double(size) / elapsed
            print("integrate \(size) leaves into tiles (batches of \(batchSize)): \(human(integrateRate)) leaves/s, \(String(format: "%.2f", elapsed)) s, \(store.tiles.count) tiles")
            json["integrate_\(size / 1_000_000 > 0 ? "\(size / 1_000_000)m" : "\(size / 1000)k")_leaves_per_s"] = round4(integrateRate)
        }
        json["integrate_leaves_per_s"] = round4(integrateRate)
        json["integrate_vs_ceiling"] = round4(integrateRate / (ceiling / 2))

        // 4. Proofs from in-memory tiles at the largest size.
        let treeSize = store.tree.size
        var generator = SystemRandomNumberGenerator()
        var proofSink = 0
        let proofBatch = 1000
        let inclusion = rate(work: proofBatch) {
            for _ in 0..<proofBatch {
                let index = UInt64.random(in: 0..<treeSize, using: &generator)
                let plan = try! InclusionProof.plan(leafIndex: index, treeSize: treeSize)
                proofSink &+= try! store.assemble(plan).count
            }
        }
        let consistency = rate(work: proofBatch) {
            for _ in 0..<proofBatch {
                let old = UInt64.random(in: 1..<treeSize, using: &generator)
                let plan = try! ConsistencyProof.plan(oldSize: old, newSize: treeSize)
                proofSink &+= try! store.assemble(plan).count
            }
        }
        consume(proofSink)
        let hashesPerProof = 255.0 * Double(TileLayout.c2sp.tileLevels(treeSize: treeSize))
        print("inclusion proofs/s at \(treeSize) leaves: \(human(inclusion)); consistency proofs/s: \(human(consistency))")
        print("  (each rebuilds up to ~\(Int(hashesPerProof)) inner tile hashes; ceiling ÷ that ≈ \(human(ceiling / hashesPerProof)) proofs/s)")
        json["inclusion_proofs_per_s"] = round4(inclusion)
        json["consistency_proofs_per_s"] = round4(consistency)
        json["tree_size"] = treeSize

        // 5. Checkpoint signatures: swift-crypto (what Vellum uses) against libcrypto, then
        //    whole checkpoints through VellumNote (format + sign, parse + verify).
        for (key, value) in SignatureBench().run() { json[key] = value }
        let ed25519 = try! Ed25519NoteSigner.generate(name: "bench.example/log")
        let ecdsa = try! ECDSANoteSigner.generate(name: "bench.example")
        let body = try! Checkpoint(origin: "bench.example - 1", size: treeSize, root: store.tree.root)
        let signers: [any NoteSigner] = [ed25519, ecdsa]
        let verifiers: [any NoteVerifier] = [ed25519.verifier, ecdsa.verifier]
        let signed = try! body.sign(signers: signers)
        let sigBatch = 200
        let checkpointSign = rate(work: sigBatch) { for _ in 0..<sigBatch { consume(try! body.sign(signers: signers)) } }
        let checkpointVerify = rate(work: sigBatch) {
            for _ in 0..<sigBatch { consume(try! Checkpoint.open(signed, verifiers: verifiers)) }
        }
        print("checkpoints signed/s (Ed25519 + ECDSA P-256 lines): \(human(checkpointSign)); opened and verified/s (both lines): \(human(checkpointVerify))")
        json["checkpoint_sign_per_s"] = round4(checkpointSign)
        json["checkpoint_verify_per_s"] = round4(checkpointVerify)
        json["rss_mb"] = round4(residentMiB())
        printJSON(json)
    }
}
