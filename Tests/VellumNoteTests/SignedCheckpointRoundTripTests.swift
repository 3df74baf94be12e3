import Foundation
import Testing
import VellumMerkle
import VellumNote

/// Generated keys end to end: sign a checkpoint with Ed25519 and P-256, read it back, and
/// check that tampering fails with the right error. Signatures are verified, never compared.
@Suite struct SignedCheckpointRoundTripTests {
    let ed25519: Ed25519NoteSigner
    let ecdsa: ECDSANoteSigner
    let checkpoint: Checkpoint
    let message: String

    init() throws {
        ed25519 = try Ed25519NoteSigner.generate(name: "vellum.example/log")
        ecdsa = try ECDSANoteSigner.generate(name: "vellum.example")
        checkpoint = try Checkpoint(origin: "vellum.example - 1234", size: 70_000,
                                    root: RFC6962.sha256(of: Array("root".utf8)))
        message = try checkpoint.sign(signers: [ed25519, ecdsa])
    }

    @Test func signedCheckpointParsesAndFormatsByteIdentically() throws {
        let note = try Note(parsing: message)
        #expect(note.message == message)
        #expect(note.text == checkpoint.text)
        #expect(note.signatures.count == 2)
        #expect(note.signatures[0].signature.count == 64)
        #expect(try Checkpoint(text: note.text).text == checkpoint.text)
    }

    @Test func opensWithEachVerifierAloneAndBoth() throws {
        let cases: [([any NoteVerifier], verified: [String], unverified: [String])] = [
            ([ed25519.verifier], ["vellum.example/log"], ["vellum.example"]),
            ([ecdsa.verifier], ["vellum.example"], ["vellum.example/log"]),
            ([ecdsa.verifier, ed25519.verifier], ["vellum.example/log", "vellum.example"], []),
        ]
        for (verifiers, verified, unverified) in cases {
            let opened = try Checkpoint.open(message, verifiers: verifiers)
            #expect(opened.checkpoint == checkpoint)
            #expect(opened.note.verified.map(\.name) == verified)
            #expect(opened.note.unverified.map(\.name) == unverified)
        }
    }

    @Test func tamperedTextFailsWithInvalidSignature() throws {
        let tampered = message.replacingOccurrences(of: "\n70000\n", with: "\n70001\n")
        #expect(tampered != message)
        for verifier in [ed25519.verifier as any NoteVerifier, ecdsa.verifier] {
            #expect(throws: NoteError.invalidSignature(name: verifier.name, keyID: verifier.keyID)) {
                try Note.open(tampered, verifiers: [verifier])
            }
            #expect(throws: CheckpointError.note(.invalidSignature(name: verifier.name, keyID: verifier.keyID))) {
                try Checkpoint.open(tampered, verifiers: [verifier])
            }
        }
    }

    @Test func tamperedSignatureFailsWithInvalidSignature() throws {
        let note = try Note(parsing: message)
        for index in note.signatures.indices {
            var signatures = note.signatures
            var bytes = signatures[index].signature
            bytes[bytes.count / 2] ^= 0x01
            signatures[index] = NoteSignature(name: signatures[index].name, keyID: signatures[index].keyID, signature: bytes)
            let tampered = try Note(text: note.text, signatures: signatures).message
            let signer: any NoteSigner = index == 0 ? ed25519 : ecdsa
            let verifier: any NoteVerifier = index == 0 ? ed25519.verifier : ecdsa.verifier
            #expect(throws: NoteError.invalidSignature(name: signer.name, keyID: signer.keyID)) {
                try Note.open(tampered, verifiers: [verifier])
            }
            // The other key still verifies alone: the tampered line is from an unknown key then.
            let other: any NoteVerifier = index == 0 ? ecdsa.verifier : ed25519.verifier
            #expect(try Note.open(tampered, verifiers: [other]).verified.count == 1)
        }
    }

    @Test func tamperedKeyIDMakesLineUnknown() throws {
        let note = try Note(parsing: message)
        let first = note.signatures[0]
        let moved = NoteSignature(name: first.name, keyID: first.keyID ^ 1, signature: first.signature)
        let tampered = try Note(text: note.text, signatures: [moved]).message
        #expect(throws: NoteError.noVerifiableSignature(unverified: [moved])) {
            try Note.open(tampered, verifiers: [ed25519.verifier])
        }
    }

    @Test func keyFromAnotherLogIsNotTrusted() throws {
        let stranger = try Ed25519NoteSigner.generate(name: "vellum.example/log")
        #expect(stranger.keyID != ed25519.keyID)
        #expect {
            try Note.open(message, verifiers: [stranger.verifier])
        } throws: { error in
            guard case .noVerifiableSignature(let unverified) = error as? NoteError else { return false }
            return unverified.count == 2
        }
    }

    @Test func ecdsaSignaturesDifferButBothVerify() throws {
        let again = try checkpoint.sign(signers: [ecdsa])
        let first = try Note.sign(text: checkpoint.text, signers: [ecdsa])
        for message in [again, first] {
            #expect(try Note.open(message, verifiers: [ecdsa.verifier]).verified.count == 1)
        }
    }

    @Test func ecdsaVerifierRejectsNonDERSignature() {
        let verifier = ecdsa.verifier
        #expect(!verifier.verify(message: Array("x\n".utf8), signature: [0x30, 0x00]))
        #expect(!ed25519.verifier.verify(message: Array("x\n".utf8), signature: [UInt8](repeating: 0, count: 63)))
    }
}
