import VellumMerkle
import VellumNote
import VellumSequencer
import VellumStorage

/// Keys and a configuration shared by the sequencer tests.
struct TestLog {
    let ed25519: Ed25519NoteSigner
    let ecdsa: ECDSANoteSigner
    var verifiers: [any NoteVerifier] { [ed25519.verifier, ecdsa.verifier] }

    init() throws {
        ed25519 = try Ed25519NoteSigner.generate(name: "vellum.test/log")
        ecdsa = try ECDSANoteSigner.generate(name: "vellum.test")
    }

    func configuration(batchSize: Int = 64, age: Duration = .milliseconds(1), pool: Int = 10_000) -> SequencerConfiguration {
        var configuration = SequencerConfiguration(origin: "vellum.test - 1", signers: [ed25519, ecdsa])
        configuration.maxBatchSize = batchSize
        configuration.maxBatchAge = age
        configuration.maxPoolSize = pool
        return configuration
    }

    func sequencer(_ storage: any LogStorage, batchSize: Int = 64, age: Duration = .milliseconds(1), pool: Int = 10_000) throws -> Sequencer {
        try Sequencer(storage: storage, configuration: configuration(batchSize: batchSize, age: age, pool: pool), verifiers: verifiers)
    }

    /// Checks a receipt with nothing but the receipt, the entry and the public keys.
    func verify(_ receipt: Receipt, entry: [UInt8]) throws {
        let opened = try Checkpoint.open(receipt.checkpoint.note, verifiers: verifiers)
        try InclusionProof.verify(leafIndex: receipt.index, treeSize: opened.checkpoint.size,
                                  leafHash: RFC6962.leafHash(entry), proof: receipt.inclusionProof, root: opened.checkpoint.root)
    }
}

func entry(_ i: Int) -> [UInt8] { Array("entry \(i) ".utf8) + [UInt8](repeating: UInt8(i & 0xff), count: 32) }

extension SubmitOutcome {
    var receipt: Receipt? {
        if case .added(let receipt) = self { return receipt }
        return nil
    }
}
