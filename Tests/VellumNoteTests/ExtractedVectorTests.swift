import Foundation
import Testing
import VellumNote
import VellumTesting

/// Vectors that upstream keeps in Go tests or spec prose (vectors/extracted/).
@Suite struct ExtractedVectorTests {
    struct GoNoteFile: Decodable {
        struct Explicit: Decodable { let vkey: String }
        struct Lookup: Decodable { let keys: [String]; let lookup: [String]; let expect: String }
        let bad_vkeys_explicit: [Explicit]
        let bad_vkey_mangles: [String]
        let bad_skey_mangles: [String]
        let verifier_list_lookups: [Lookup]
    }

    @Test(.enabled(if: Vectors.available))
    func goMangledKeysAreRejected() throws {
        let file = try Vectors.load(GoNoteFile.self, from: "extracted/golang_mod_note.json")
        for vkey in file.bad_vkey_mangles + file.bad_vkeys_explicit.map(\.vkey) {
            #expect(throws: KeyError.self, "\(vkey)") { try NoteKeys.verifier(vkey) }
        }
        for skey in file.bad_skey_mangles {
            #expect(throws: KeyError.self, "\(skey)") { try NoteKeys.signer(skey) }
        }
    }

    /// x/mod `VerifierList` lookups, seen through `open`: a line from a found key is checked
    /// (and our dummy signature fails), an unknown one is skipped, an ambiguous one throws.
    @Test(.enabled(if: Vectors.available))
    func goVerifierListLookups() throws {
        let file = try Vectors.load(GoNoteFile.self, from: "extracted/golang_mod_note.json")
        #expect(file.verifier_list_lookups.count == 4)
        for lookup in file.verifier_list_lookups {
            let verifiers = try lookup.keys.map { try NoteKeys.verifier($0) }
            let name = lookup.lookup[0], keyID = try #require(UInt32(lookup.lookup[1], radix: 16))
            let note = try Note(text: "text\n", signatures: [NoteSignature(name: name, keyID: keyID, signature: [1, 2, 3])])
            let outcome = OpenOutcome { () throws(NoteError) in try note.verify(with: verifiers) }
            let want = switch lookup.expect {
            case "found": "invalid-signature"
            case let text where text.hasPrefix("unknown key"): "no-verifiable-signature"
            default: "ambiguous-key"
            }
            #expect(outcome.expect == want, "\(lookup.lookup)")
        }
    }

    struct FormatsFile: Decodable {
        struct ECDSAOpen: Decodable { let desc: String; let vkey: String; let note: String; let expect: String }
        struct BadKey: Decodable { let desc: String; let vkey: String }
        struct KeyPair: Decodable { let vkey: String; let skey: String }
        struct Unmarshal: Decodable { let desc: String; let m: String; let wantErr: Bool? }
        let ecdsa_open: [ECDSAOpen]
        let ecdsa_bad_vkeys: [BadKey]
        let ed25519_key_pairs: [KeyPair]
        let checkpoint_unmarshal: [Unmarshal]
    }

    @Test(.enabled(if: Vectors.available))
    func transparencyDevFormatsNotes() throws {
        let file = try Vectors.load(FormatsFile.self, from: "extracted/transparency-dev_formats_notes.json")
        for vector in file.ecdsa_open {
            let verifier = try NoteKeys.verifier(vector.vkey)
            let outcome = OpenOutcome { () throws(NoteError) in try Note.open(vector.note, verifiers: [verifier]) }
            #expect(outcome.expect == vector.expect, "\(vector.desc)")
        }
        for bad in file.ecdsa_bad_vkeys {
            #expect(throws: KeyError.self, "\(bad.desc)") { try NoteKeys.verifier(bad.vkey) }
        }
        for pair in file.ed25519_key_pairs {
            let signer = try Ed25519NoteSigner(signerKey: pair.skey)
            #expect(signer.verifier.verifierKey == pair.vkey)
        }
    }

    /// formats' `Checkpoint.Unmarshal` accepts any root length and empty trailing lines; C2SP
    /// does not. Every case here is refused by us; the ones it accepts fail on the root length
    /// (vectors README, disagreement 4).
    @Test(.enabled(if: Vectors.available))
    func transparencyDevFormatsCheckpoints() throws {
        let file = try Vectors.load(FormatsFile.self, from: "extracted/transparency-dev_formats_notes.json")
        #expect(file.checkpoint_unmarshal.count == 12)
        for vector in file.checkpoint_unmarshal {
            #expect(throws: CheckpointError.self, "\(vector.desc)") { try Checkpoint(text: vector.m) }
            if vector.wantErr != true {
                #expect {
                    try Checkpoint(text: vector.m)
                } throws: { error in
                    if case .rootWrongLength? = error as? CheckpointError { return true }
                    return false
                }
            }
        }
    }

    struct C2SPFile: Decodable {
        struct Example: Decodable { let note: String }
        struct VerifierKeyExample: Decodable { let vkey: String; let note: String; let expect: String }
        struct CheckpointExample: Decodable { let note: String; let origin: String; let size: UInt64; let root_b64: String }
        let signed_note_intro_example: Example
        let signed_note_vkey_example: VerifierKeyExample
        let checkpoint_example: CheckpointExample
    }

    @Test(.enabled(if: Vectors.available))
    func c2spSpecExamples() throws {
        let file = try Vectors.load(C2SPFile.self, from: "extracted/c2sp_examples.json")
        // The intro note has a blank line inside its text and a non-ASCII character.
        let intro = try Note(parsing: file.signed_note_intro_example.note)
        #expect(intro.text == "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n")
        #expect(intro.signatures.map(\.name) == ["quasimodo.example/salvatore"])
        #expect(intro.message == file.signed_note_intro_example.note)

        let example = file.signed_note_vkey_example
        let opened = try Note.open(example.note, verifiers: [try NoteKeys.verifier(example.vkey)])
        #expect(opened.text == "This is an example message.\n")
        #expect(opened.verified.first?.keyID == 0x530d903a)
        #expect(opened.verified.first.map { $0.payload.count } == 68)

        let checkpoint = file.checkpoint_example
        let note = try Note(parsing: checkpoint.note)
        #expect(note.message == checkpoint.note)
        let body = try Checkpoint(text: note.text)
        #expect(body.origin == checkpoint.origin)
        #expect(body.size == checkpoint.size)
        #expect(body.root.base64 == checkpoint.root_b64)
    }
}
