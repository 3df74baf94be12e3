import Foundation
import VellumMerkle
import VellumNote
import VellumSequencer
import VellumSQLite
import VellumStorage
import VellumTesting

/// The two halves of `scripts/crash-test`: a writer that appends until it is killed, printing
/// one `ACK <index> <base64 entry>` line per receipt, and a checker that reopens the store after
/// the kill and verifies that every acknowledged entry is there and the log is consistent.
enum CrashTest {
    static func signer(directory: URL) throws -> Ed25519NoteSigner {
        let keyFile = directory.appendingPathComponent("crash-test.skey")
        if let text = try? String(contentsOf: keyFile, encoding: .utf8) {
            return try Ed25519NoteSigner(signerKey: text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let signer = try Ed25519NoteSigner.generate(name: "crash-test.vellum.invalid")
        try signer.signerKey.write(to: keyFile, atomically: true, encoding: .utf8)
        return signer
    }

    static func configuration(_ signer: Ed25519NoteSigner) -> SequencerConfiguration {
        var configuration = SequencerConfiguration(origin: "crash-test.vellum.invalid", signers: [signer])
        configuration.maxBatchSize = 64
        configuration.maxBatchAge = .milliseconds(1)
        return configuration
    }

    /// Small identity-tail generations, so that kills land in the middle of seals and merges
    /// (the default generation of 65,536 is more than a CI-sized run appends).
    static let storageConfiguration: SQLiteConfiguration = {
        var configuration = SQLiteConfiguration()
        configuration.identityTailEntries = 500
        return configuration
    }()

    /// Appends entries from 16 concurrent submitters until killed.
    static func write(directory: URL) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let signer = try signer(directory: directory)
        let storage = try SQLiteLogStorage(path: directory.appendingPathComponent("log.db").path, readers: 2,
                                            configuration: storageConfiguration)
        let sequencer = try Sequencer(storage: storage, configuration: configuration(signer), verifiers: [signer.verifier])
        let run = UInt64.random(in: 0..<UInt64.max)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    var i = 0
                    while true {
                        let entry = Array("crash-test run \(run) task \(task) entry \(i) ".utf8) + [UInt8](repeating: UInt8(i & 0xff), count: 200)
                        i += 1
                        let leaf = LogLeaf(entry)
                        if case .added(let receipt) = try await sequencer.submit(leaf, identity: leaf.hash) {
                            // One write(2) per line: a kill leaves whole lines or a torn last line.
                            let line = "ACK \(receipt.index) \(Data(entry).base64EncodedString())\n"
                            _ = line.withCString { Foundation.write(1, $0, strlen($0)) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Reopens the log (the sequencer's own start-up check included) and checks every
    /// acknowledged entry. Exits non-zero on any violation.
    static func check(directory: URL, acknowledgements: URL) throws {
        let signer = try signer(directory: directory)
        let storage = try SQLiteLogStorage(path: directory.appendingPathComponent("log.db").path, readers: 2,
                                            configuration: storageConfiguration)
        _ = try Sequencer(storage: storage, configuration: configuration(signer), verifiers: [signer.verifier])
        let text = (try? String(contentsOf: acknowledgements, encoding: .utf8)) ?? ""
        var acknowledged: [UInt64: [UInt8]] = [:]
        // A line without its newline was torn by the kill: it was never fully acknowledged.
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where text.hasSuffix("\n") || line != text.split(separator: "\n").last {
            let fields = line.split(separator: " ")
            guard fields.count == 3, fields[0] == "ACK", let index = UInt64(fields[1]),
                  let entry = Data(base64Encoded: String(fields[2])) else { continue }
            acknowledged[index] = Array(entry)
        }
        try LogInvariants.check(storage: storage, verifiers: [signer.verifier], acknowledged: acknowledged)
        print("ok: tree size \(try storage.treeState().size), \(acknowledged.count) acknowledged entries all present with valid proofs")
    }
}
