import Foundation
import Testing
import VellumMerkle
import VellumNote
import VellumTesting

/// Real Rekor checkpoints (v1 ECDSA, v2 Ed25519 with witness cosignatures) and the Rekor
/// parse cases (spec §6).
@Suite struct RekorCheckpointTests {
    static let entries = RekorFile.shared?.entries ?? []

    @Test(.enabled(if: Vectors.available), arguments: entries)
    func realCheckpointOpensWithItsVerifierKey(_ entry: RekorFile.Entry) throws {
        let verifier = try NoteKeys.verifier(entry.vkey)
        let outcome = OpenOutcome { () throws(NoteError) in try Note.open(entry.checkpoint, verifiers: [verifier]) }
        #expect(outcome.expect == entry.checkpoint_expect)
        let opened = try Checkpoint.open(entry.checkpoint, verifiers: [verifier])
        #expect(opened.checkpoint.size == entry.tree_size)
        #expect(opened.checkpoint.root.data == entry.root)
        #expect(opened.note.verified.map(\.name) == [verifier.name])
        #expect(try Note(parsing: entry.checkpoint).message == entry.checkpoint)
    }

    /// Rekor v1 key IDs and log IDs both come from SHA-256 of the DER SPKI (spec §6).
    @Test(.enabled(if: Vectors.available), arguments: entries.filter { $0.log_key_details.contains("ECDSA") })
    func rekorV1KeyIDIsPrefixOfLogID(_ entry: RekorFile.Entry) throws {
        let publicKey = try NotePublicKey(spki: [UInt8](entry.log_public_key_spki))
        #expect(NoteKeyID.ecdsaDigest(spki: publicKey.spki).data == entry.log_id)
        let verifier = try #require(try NoteKeys.verifier(entry.vkey) as? ECDSANoteVerifier)
        #expect(Data(verifier.spki) == entry.log_public_key_spki)
        #expect(try Checkpoint.open(entry.checkpoint, verifiers: [verifier]).checkpoint.origin.contains(" - "))
    }

    struct ParseFile: Decodable {
        struct Case: Decodable, Sendable, CustomTestStringConvertible {
            let desc: String; let m: String; let wantErr: Bool
            var testDescription: String { desc }
        }
        let cases: [Case]
    }
    static let parseCases = (try? Vectors.load(ParseFile.self, from: "extracted/rekor_signed_checkpoint_parse.json"))?.cases ?? []

    /// sigstore/rekor TestUnmarshalSignedCheckpoint: note syntax only. Its "valid" bodies have
    /// non-32-byte roots, which Rekor's parser allows and ours (C2SP) refuses.
    @Test(.enabled(if: Vectors.available), arguments: parseCases)
    func rekorSignedCheckpointSyntax(_ vector: ParseFile.Case) throws {
        if vector.wantErr {
            #expect(throws: NoteError.self) { try Note(parsing: vector.m) }
        } else {
            let note = try Note(parsing: vector.m)
            #expect(note.message == vector.m)
            #expect(throws: CheckpointError.rootWrongLength(got: 37)) { try Checkpoint(text: note.text) }
        }
    }

    struct KeyHashFile: Decodable {
        struct Case: Decodable, Sendable, CustomTestStringConvertible {
            let name: String; let private_key_pem: String
            let expected_key_id: UInt32; let expected_log_id_hex: String
            var testDescription: String { name }
        }
        let origin: String
        let cases: [Case]
    }
    static let keyHash = try? Vectors.load(KeyHashFile.self, from: "extracted/rekor-tiles_keyhash.json")

    /// sigstore/rekor-tiles KeyHash: Ed25519 (C2SP rule) and ECDSA (SPKI rule). The RSA case
    /// is out of scope: Vellum signs with Ed25519 and P-256 only, so its PEM is refused.
    @Test(.enabled(if: Vectors.available), arguments: keyHash?.cases ?? [])
    func rekorTilesKeyHash(_ vector: KeyHashFile.Case) throws {
        let origin = try #require(Self.keyHash).origin
        guard vector.name != "rsa" else {
            #expect(throws: KeyError.self) { try NotePrivateKey(pem: vector.private_key_pem) }
            return
        }
        let privateKey = try NotePrivateKey(pem: vector.private_key_pem)
        let signer = try privateKey.signer(name: origin)
        #expect(signer.keyID == vector.expected_key_id)
        let digest = switch privateKey.publicKey {
        case .ed25519(let key): NoteKeyID.ed25519Digest(name: origin, publicKey: key.rawRepresentation)
        case .p256: NoteKeyID.ecdsaDigest(spki: privateKey.publicKey.spki)
        }
        #expect(digest.hex == vector.expected_log_id_hex)
    }
}
