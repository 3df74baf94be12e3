import Foundation
import Testing
import VellumNote

/// Named mutations of a valid note: each must fail with the rule it breaks (spec §2.1).
@Suite struct NoteParsingTests {
    static let line = "\u{2014} example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
    static let text = "This is an example message.\n"

    @Test(arguments: [
        ("no-blank-line", text + line, NoteError.Malformation.missingSignatureBlock),
        ("no-signatures", text + "\n", .noSignatures),
        ("no-final-newline", text + "\n" + line.dropLast(), .missingFinalNewline),
        ("hyphen-not-em-dash", text + "\n- example.com/foo AAAAAAA=\n", .missingSignaturePrefix(line: 1)),
        ("em-dash-without-space", text + "\n\u{2014}example.com/foo AAAAAAA=\n", .missingSignaturePrefix(line: 1)),
        ("second-line-bad", text + "\n" + line + "trailing\n", .missingSignaturePrefix(line: 2)),
        ("blank-line-after-signatures", text + "\n" + line + "\n", .noSignatures),
        ("name-missing", text + "\n\u{2014} YQ==\n", .invalidSignatureBase64(line: 1)),
        ("name-with-plus", text + "\n\u{2014} a+b AAAAAAA=\n", .invalidKeyName("a+b")),
        ("name-empty", text + "\n\u{2014}  AAAAAAA=\n", .invalidKeyName("")),
        ("base64-unpadded", text + "\n\u{2014} a AAAAAAA\n", .invalidSignatureBase64(line: 1)),
        ("base64-noncanonical-bits", text + "\n\u{2014} a AAAAAAB=\n", .invalidSignatureBase64(line: 1)),
        ("base64-two-spaces", text + "\n\u{2014} a  AAAAAAA=\n", .invalidSignatureBase64(line: 1)),
        ("signature-4-bytes", text + "\n\u{2014} a AAAAAA==\n", .signatureTooShort(line: 1, got: 4)),
        ("control-char", "a\u{7}\n\n" + line, .controlCharacter(offset: 1)),
        ("carriage-return", "a\r\n\n" + line, .controlCharacter(offset: 1)),
    ])
    func malformedNoteNamesTheBrokenRule(mutation: String, message: String, reason: NoteError.Malformation) {
        #expect(throws: NoteError.malformed(reason), "\(mutation)") { try Note(parsing: message) }
    }

    @Test func invalidUTF8IsMalformed() {
        let bytes: [UInt8] = [0xFF] + Array((Self.text + "\n" + Self.line).utf8)
        #expect(throws: NoteError.malformed(.invalidUTF8)) { try Note(parsing: bytes) }
    }

    @Test func hundredSignaturesAreReadAndHundredOneAreNot() throws {
        let body = Self.text + "\n"
        let hundred = body + String(repeating: Self.line, count: 100)
        #expect(try Note(parsing: hundred).signatures.count == 100)
        #expect(throws: NoteError.malformed(.tooManySignatures(max: 100))) {
            try Note(parsing: hundred + Self.line)
        }
    }

    @Test func parsedNoteExposesTextAndSignatureParts() throws {
        let note = try Note(parsing: Self.text + "\n" + Self.line)
        #expect(note.text == Self.text)
        let signature = try #require(note.signatures.first)
        #expect(signature.name == "example.com/foo")
        #expect(signature.keyID == 0x530d903a)
        #expect(signature.signature.count == 64)
        #expect(signature.line == Self.line)
        #expect(signature.description == "example.com/foo+530d903a")
    }

    @Test func buildingNoteChecksWhatParsingChecks() {
        let signature = NoteSignature(name: "a", keyID: 1, signature: [1])
        #expect(throws: NoteError.malformed(.textMissingFinalNewline)) { try Note(text: "a", signatures: [signature]) }
        #expect(throws: NoteError.malformed(.noSignatures)) { try Note(text: "a\n", signatures: []) }
        #expect(throws: NoteError.malformed(.invalidKeyName("a b"))) {
            try Note(text: "a\n", signatures: [NoteSignature(name: "a b", keyID: 1, signature: [1])])
        }
        #expect(throws: NoteError.malformed(.signatureTooShort(line: 1, got: 4))) {
            try Note(text: "a\n", signatures: [NoteSignature(name: "a", keyID: 1, signature: [])])
        }
        #expect(throws: NoteError.malformed(.tooManySignatures(max: 100))) {
            try Note(text: "a\n", signatures: Array(repeating: signature, count: 101))
        }
    }

    @Test func errorDescriptionsSayWhatToDo() {
        #expect(NoteError.malformed(.controlCharacter(offset: 3)).description.contains("LF"))
        #expect(NoteError.ambiguousKey(name: "a", keyID: 0xab).description.contains("a+000000ab"))
        #expect(NoteError.noVerifiableSignature(unverified: [NoteSignature(name: "w", keyID: 1, signature: [1])])
            .description.contains("w+00000001"))
        #expect(KeyError.keyIDMismatch(got: 1, want: 2).description.contains("00000002"))
        #expect(CheckpointError.sizeTooLarge("18446744073709551616").description.contains("2^64-1"))
    }
}
