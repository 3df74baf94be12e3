import Foundation
import Testing
import VellumMerkle
import VellumNote
import VellumTesting

/// Checkpoint bodies (C2SP tlog-checkpoint, spec §2.2) and signed checkpoints.
@Suite struct CheckpointTests {
    static let bodies = NotesFile.shared?.checkpoint_bodies ?? []

    /// The `error` words of notes.json mapped to the CheckpointError case that must be thrown.
    static func matches(_ error: CheckpointError, _ word: String?) -> Bool {
        switch (error, word) {
        case (.sizeTooLarge, "size too large"), (.malformedSize, "bad size"),
             (.emptyOrigin, "empty origin"), (.tooFewLines, "need at least 3 lines"),
             (.missingFinalNewline, "text must end with newline"), (.rootNotBase64, "bad root base64"),
             (.rootWrongLength, "root must be 32 bytes"), (.emptyExtension, "empty extension line"):
            true
        default:
            false
        }
    }

    @Test(.enabled(if: Vectors.available), arguments: bodies)
    func bodyParsesCanonically(_ vector: NotesFile.CheckpointBody) throws {
        if vector.valid {
            let checkpoint = try Checkpoint(text: vector.text)
            #expect(checkpoint.origin == vector.origin)
            #expect(checkpoint.size == vector.size)
            #expect(checkpoint.root.base64 == vector.root)
            #expect(checkpoint.extensions == vector.extensions)
            #expect(checkpoint.text == vector.text)
        } else {
            #expect { try Checkpoint(text: vector.text) } throws: { error in
                Self.matches(try #require(error as? CheckpointError), vector.error)
            }
        }
    }

    @Test(arguments: [
        ("a\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n", CheckpointError.rootNotBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r")),
        ("a\r\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", .controlCharacter(line: 1)),
        ("a\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next\u{01}\n", .controlCharacter(line: 4)),
        ("a\n 1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", .malformedSize(" 1")),
        ("a\n\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", .malformedSize("")),
        ("a\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=\n", .rootNotBase64("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=")),
        ("", .missingFinalNewline),
        ("\n", .tooFewLines(got: 1)),
    ])
    func nonCanonicalBodyNamesTheBrokenRule(text: String, error: CheckpointError) {
        #expect(throws: error) { try Checkpoint(text: text) }
    }

    @Test func buildingRejectsLinesThatCannotBeReadBack() {
        let root = RFC6962.emptyRoot
        #expect(throws: CheckpointError.emptyOrigin) { try Checkpoint(origin: "", size: 0, root: root) }
        #expect(throws: CheckpointError.controlCharacter(line: 1)) { try Checkpoint(origin: "a\nb", size: 0, root: root) }
        #expect(throws: CheckpointError.emptyExtension(line: 5)) { try Checkpoint(origin: "a", size: 0, root: root, extensions: ["x", ""]) }
        #expect(throws: CheckpointError.controlCharacter(line: 4)) { try Checkpoint(origin: "a", size: 0, root: root, extensions: ["x\ny"]) }
    }

    @Test func textIsOriginSizeRootAndExtensions() throws {
        let checkpoint = try Checkpoint(origin: "example.com/log", size: 0, root: RFC6962.emptyRoot, extensions: ["Timestamp: 1"])
        #expect(checkpoint.text == "example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nTimestamp: 1\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
    }

    /// notes.json `test_log`: the same body signed with the Ed25519 and the ECDSA test keys
    /// opens with either verifier alone and with both.
    @Test(.enabled(if: Vectors.available))
    func testLogCheckpointSignedWithBothKeysVerifies() throws {
        let log = try #require(NotesFile.shared).test_log
        let ed25519 = try NoteKeys.signer(log.ed25519_skey)
        let ecdsa = try NotePrivateKey(pem: log.ecdsa_private_key_pem).signer(name: log.origin)
        let ed25519Verifier = try NoteKeys.verifier(log.ed25519_vkey)
        let ecdsaVerifier = try NoteKeys.verifier(log.ecdsa_vkey)
        #expect(ed25519.keyID == ed25519Verifier.keyID)
        #expect(ecdsa.keyID == ecdsaVerifier.keyID)

        let checkpoint = try Checkpoint(origin: log.origin, size: 1000,
                                        root: try #require(Hash(base64: "L/M/udjxT4nKMGKJYzM2oWj/P0Uy6PdBoAGdy0wdYKE=")))
        let message = try checkpoint.sign(signers: [ed25519, ecdsa])
        #expect(try Note(parsing: message).message == message)
        for verifiers in [[ed25519Verifier], [ecdsaVerifier], [ed25519Verifier, ecdsaVerifier]] {
            let opened = try Checkpoint.open(message, verifiers: verifiers)
            #expect(opened.checkpoint == checkpoint)
            #expect(opened.note.verified.map(\.keyID) == verifiers.map(\.keyID))
            #expect(opened.note.unverified.count == 2 - verifiers.count)
        }
    }

    /// The static 1,000-entry log's checkpoint verifies with the published test key.
    @Test(.enabled(if: Vectors.available))
    func staticLogCheckpointVerifies() throws {
        let message = try Vectors.data("normalized/static-log-1000/checkpoint")
        let verifier = try NoteKeys.verifier("example.com/tlog-vectors/test-log+1ca1910d+ATzmEnhamf4uNTLJ2xWVdmxCbvn15OFTB8XXv3DW8L/8")
        let opened = try Checkpoint.open(message, verifiers: [verifier])
        #expect(opened.checkpoint.origin == "example.com/tlog-vectors/test-log")
        #expect(opened.checkpoint.size == 1000)
        #expect(opened.checkpoint.root.base64 == "L/M/udjxT4nKMGKJYzM2oWj/P0Uy6PdBoAGdy0wdYKE=")
        #expect(Array(try Note(parsing: message).message.utf8) == [UInt8](message))
    }

    /// The Tessera test-log checkpoints of notes.json open as checkpoints of sizes 0…15.
    @Test(.enabled(if: Vectors.available))
    func tesseraCheckpointsOpenWithTheirSizes() throws {
        let cases = try #require(NotesFile.shared).open_cases.filter { $0.desc.hasPrefix("tessera test log checkpoint, size ") }
        #expect(cases.count == 16)
        for vector in cases {
            let verifiers = try vector.verifier_keys.map { try NoteKeys.verifier($0) }
            let opened = try Checkpoint.open(try #require(vector.note), verifiers: verifiers)
            #expect("tessera test log checkpoint, size \(opened.checkpoint.size)" == vector.desc)
            #expect(opened.checkpoint.size != 0 || opened.checkpoint.root == RFC6962.emptyRoot)
        }
    }

    @Test func openingReportsNoteErrorsAndBodyErrorsApart() throws {
        let signer = try Ed25519NoteSigner.generate(name: "log.example")
        let notABody = try Note.sign(text: "log.example\n1\n", signers: [signer])
        #expect(throws: CheckpointError.tooFewLines(got: 2)) { try Checkpoint.open(notABody, verifiers: [signer.verifier]) }
        let other = try Ed25519NoteSigner.generate(name: "log.example")
        let body = try Checkpoint(origin: "log.example", size: 1, root: RFC6962.emptyRoot)
        let signed = try body.sign(signers: [other])
        #expect {
            try Checkpoint.open(signed, verifiers: [signer.verifier])
        } throws: { error in
            guard case .note(.noVerifiableSignature)? = error as? CheckpointError else { return false }
            return true
        }
    }
}
