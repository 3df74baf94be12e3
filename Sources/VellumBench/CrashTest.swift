import Crypto
import Foundation
import VellumMerkle
import VellumNote
import VellumRekor
import VellumSequencer
import VellumSQLite
import VellumStorage
import VellumTesting

/// The two halves of `scripts/crash-test`: a writer that appends until it is killed, printing
/// one `ACK <index> <base64 entry> [<base64 attachment>]` line per receipt, and a checker that
/// reopens the store after the kill and verifies that every acknowledged entry (and attachment)
/// is there and the log is consistent.
///
/// The entries are of every kind the server logs: a quarter raw bytes, a quarter each
/// hashedrekord, dsse and intoto 0.0.2 entries canonicalized from signed requests (with their
/// search keys, and the intoto statement as the attachment), as the server submits them.
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
                        let tag = "crash-test run \(run) task \(task) entry \(i)"
                        i += 1
                        let (leaf, searchKeys, attachment) = try Self.entry(tag, kind: task % 4)
                        if case .added(let receipt) = try await sequencer.submit(leaf, identity: leaf.hash, searchKeys: searchKeys,
                                                                                attachment: attachment) {
                            // One write(2) per line: a kill leaves whole lines or a torn last line.
                            var line = "ACK \(receipt.index) \(Data(leaf.bytes).base64EncodedString())"
                            if let attachment { line += " " + Data(attachment).base64EncodedString() }
                            line += "\n"
                            _ = line.withCString { Foundation.write(1, $0, strlen($0)) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Entry `tag` of `kind` 0 (raw bytes), 1 (hashedrekord), 2 (dsse) or 3 (intoto 0.0.2).
    static func entry(_ tag: String, kind: Int) throws -> (LogLeaf, [[UInt8]], [UInt8]?) {
        let request: String
        switch kind {
        case 1: request = HTTPBench.request(artifact: tag)
        case 2: request = HTTPBench.dsseRequest(artifact: tag)
        case 3: request = inTotoRequest(artifact: tag)
        default:
            return (LogLeaf(Array("\(tag) ".utf8) + [UInt8](repeating: UInt8(tag.utf8.count & 0xff), count: 200)), [], nil)
        }
        let entry = try ProposedEntry.canonicalize(json: Array(request.utf8))
        return (entry.leaf, entry.searchKeys.map { Array($0.utf8) }, entry.attestation)
    }

    /// An intoto 0.0.2 request as sigstore-js sends it (double base64, its own `hash`).
    static func inTotoRequest(artifact: String) -> String {
        let key = P256.Signing.PrivateKey()
        let payload = HTTPBench.statement(artifact: artifact)
        let sig = try! key.signature(for: HTTPBench.pae(payload)).derRepresentation.base64EncodedString()
        let pem = key.publicKey.pemRepresentation
        let twice = { (text: String) in Data(text.utf8).base64EncodedString() }
        let payloadHash = SHA256.hash(data: payload).hex
        return #"{"apiVersion":"0.0.2","kind":"intoto","spec":{"content":{"envelope":{"payloadType":"\#(HTTPBench.inTotoType)","payload":"\#(twice(Data(payload).base64EncodedString()))","signatures":[{"sig":"\#(twice(sig))","publicKey":"\#(twice(pem))"}]},"hash":{"algorithm":"sha256","value":"\#(payloadHash)"},"payloadHash":{"algorithm":"sha256","value":"\#(payloadHash)"}}}}"#
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
        var attachments: [UInt64: [UInt8]] = [:]
        // A line without its newline was torn by the kill: it was never fully acknowledged.
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where text.hasSuffix("\n") || line != text.split(separator: "\n").last {
            let fields = line.split(separator: " ")
            guard fields.count == 3 || fields.count == 4, fields[0] == "ACK", let index = UInt64(fields[1]),
                  let entry = Data(base64Encoded: String(fields[2])) else { continue }
            acknowledged[index] = Array(entry)
            if fields.count == 4, let attachment = Data(base64Encoded: String(fields[3])) { attachments[index] = Array(attachment) }
        }
        try LogInvariants.check(storage: storage, verifiers: [signer.verifier], acknowledged: acknowledged)
        for (index, attachment) in attachments where try storage.attachment(index: index) != attachment {
            throw LogInvariants.Violation(description: "the attachment of acknowledged entry \(index) is missing or differs")
        }
        print("ok: tree size \(try storage.treeState().size), \(acknowledged.count) acknowledged entries (\(attachments.count) with attachments) all present with valid proofs")
    }
}
