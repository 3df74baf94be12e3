import Foundation
import Testing
import VellumNote
import VellumTesting

/// notes.json `open_cases` and extracted/golang_mod_note.json `open`: golang.org/x/mod
/// `note.Open` outcomes, with the verified and unverified signature names.
@Suite struct NoteOpenVectorTests {
    static let cases = NotesFile.shared?.open_cases ?? []

    struct GoNoteFile: Decodable { let open: [NotesFile.OpenCase] }
    static let goCases = (try? Vectors.load(GoNoteFile.self, from: "extracted/golang_mod_note.json"))?.open ?? []

    static func check(_ vector: NotesFile.OpenCase) throws {
        let verifiers = try vector.verifier_keys.map { try NoteKeys.verifier($0) }
        let got = OpenOutcome { () throws(NoteError) in try Note.open(vector.message, verifiers: verifiers) }
        // Names only matter when the note is accepted or merely unverifiable; for the other
        // errors the vectors record how far x/mod got before failing.
        let want = switch vector.expect {
        case "ok": OpenOutcome(expect: "ok", verified: vector.verified_names, unverified: vector.unverified_names)
        case "no-verifiable-signature": OpenOutcome(expect: vector.expect, unverified: vector.unverified_names)
        default: OpenOutcome(expect: vector.expect)
        }
        #expect(got == want, "\(vector.desc)")
    }

    @Test(.enabled(if: Vectors.available), arguments: cases)
    func openMatchesGoSemantics(_ vector: NotesFile.OpenCase) throws {
        try Self.check(vector)
    }

    @Test(.enabled(if: Vectors.available), arguments: goCases)
    func openMatchesGoTestTable(_ vector: NotesFile.OpenCase) throws {
        try Self.check(vector)
    }

    @Test(.enabled(if: Vectors.available))
    func vectorFilesAreLoaded() {
        #expect(Self.cases.count == 68)
        #expect(Self.goCases.count == 16)
    }

    /// Every note that is not malformed parses and formats back byte for byte; every malformed
    /// one is rejected by the parser alone.
    @Test(.enabled(if: Vectors.available), arguments: cases)
    func parsingIsCanonical(_ vector: NotesFile.OpenCase) {
        do {
            let note = try Note(parsing: vector.message)
            #expect(vector.expect != "malformed", "\(vector.desc) parsed")
            #expect(Array(note.message.utf8) == vector.message)
            #expect(try Note(text: note.text, signatures: note.signatures) == note)
        } catch {
            #expect(vector.expect == "malformed", "\(vector.desc): \(error)")
        }
    }
}
