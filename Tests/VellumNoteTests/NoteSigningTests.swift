import Foundation
import Testing
import VellumNote
import VellumTesting

/// Signing: Ed25519 is deterministic, so notes.json `sign_cases` must come out byte for byte.
@Suite struct NoteSigningTests {
    static let cases = NotesFile.shared?.sign_cases ?? []

    @Test(.enabled(if: Vectors.available), arguments: cases)
    func ed25519SigningReproducesVector(_ vector: NotesFile.SignCase) throws {
        let signer = try NoteKeys.signer(vector.skey)
        #expect(try Note.sign(text: vector.text, signers: [signer]) == vector.want_note)
    }

    struct GoNoteFile: Decodable {
        struct Sign: Decodable { let skey: String; let text: String; let want_note: String }
        struct AddSignature: Decodable { let want_note: String }
        let sign: Sign
        let sign_add_signature_example: AddSignature
    }

    /// golang.org/x/mod ExampleSign_add_signatures: adding EnochRoot's signature to Peter's
    /// note keeps Peter's line first; re-signing with Peter's key replaces his line.
    @Test(.enabled(if: Vectors.available))
    func addingSignerAppendsAfterExistingSignatures() throws {
        let file = try Vectors.load(GoNoteFile.self, from: "extracted/golang_mod_note.json")
        let peter = try NoteKeys.signer(file.sign.skey)
        let enoch = try Ed25519NoteSigner(signerKey: "PRIVATE+KEY+EnochRoot+af0cfe78+AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        let signed = try Note(parsing: file.sign.want_note)
        #expect(try signed.adding(signers: [enoch]).message == file.sign_add_signature_example.want_note)
        let both = try Note(parsing: file.sign_add_signature_example.want_note)
        let resigned = try both.adding(signers: [peter])
        #expect(resigned.signatures.map(\.name) == ["EnochRoot", "PeterNeumann"])
        #expect(Set(resigned.signatures) == Set(both.signatures))
    }

    @Test func signingWithSeveralSignersWritesOneLineEach() throws {
        let a = try Ed25519NoteSigner.generate(name: "a.example")
        let b = try ECDSANoteSigner.generate(name: "b.example")
        let message = try Note.sign(text: "hello\n", signers: [a, b])
        let note = try Note(parsing: message)
        #expect(note.signatures.map(\.name) == ["a.example", "b.example"])
        #expect(note.signatures.map(\.keyID) == [a.keyID, b.keyID])
        let opened = try Note.open(message, verifiers: [a.verifier, b.verifier])
        #expect(opened.verified.count == 2)
    }

    @Test(arguments: [
        ("", NoteError.malformed(.textMissingFinalNewline)),
        ("no newline", .malformed(.textMissingFinalNewline)),
        ("tab\there\n", .malformed(.controlCharacter(offset: 3))),
        ("crlf\r\n", .malformed(.controlCharacter(offset: 4))),
    ])
    func signingRejectsInvalidText(text: String, error: NoteError) throws {
        let signer = try Ed25519NoteSigner.generate(name: "log.example")
        #expect(throws: error) { try Note.sign(text: text, signers: [signer]) }
    }

    @Test func signingWithoutSignersIsRefused() {
        #expect(throws: NoteError.malformed(.noSignatures)) { try Note.sign(text: "a\n", signers: []) }
    }

    @Test func signingRejectsSignerWithInvalidName() throws {
        struct BadSigner: NoteSigner {
            let name = "bad name"
            let keyID: UInt32 = 1
            func sign(message: [UInt8]) throws -> [UInt8] { [1] }
        }
        #expect(throws: NoteError.malformed(.invalidKeyName("bad name"))) {
            try Note.sign(text: "a\n", signers: [BadSigner()])
        }
    }

    @Test func failingSignerIsReportedByName() {
        struct Broken: Error {}
        struct FailingSigner: NoteSigner {
            let name = "hsm.example"
            let keyID: UInt32 = 7
            func sign(message: [UInt8]) throws -> [UInt8] { throw Broken() }
        }
        #expect {
            try Note.sign(text: "a\n", signers: [FailingSigner()])
        } throws: { error in
            guard case .signingFailed(let name, _)? = error as? NoteError else { return false }
            return name == "hsm.example"
        }
    }

    /// Text with blank lines is allowed: the *last* blank line separates the signatures.
    @Test func textWithBlankLinesRoundTrips() throws {
        let signer = try Ed25519NoteSigner.generate(name: "log.example")
        for text in ["a\n\nb\n", "a\n\n", "\n", "a\n\n\n"] {
            let message = try Note.sign(text: text, signers: [signer])
            let opened = try Note.open(message, verifiers: [signer.verifier])
            #expect(opened.text == text)
        }
    }
}
