import Foundation
import Testing
import VellumMerkle
import VellumNote
import VellumTesting

/// Verifier and signer key strings and the key-ID rules (spec §2.1, §6).
@Suite struct NoteKeyTests {
    static let keys = NotesFile.shared?.keys ?? []
    static let keyIDVectors = NotesFile.shared?.key_id_vectors ?? []

    @Test(.enabled(if: Vectors.available), arguments: keys)
    func verifierKeyParsesToNameKeyIDAndPublicKey(_ key: NotesFile.Key) throws {
        let verifier = try NoteKeys.verifier(key.vkey)
        #expect(verifier.name == key.name)
        #expect(NoteKeyID.hex(verifier.keyID) == key.key_id_hex)
        switch verifier {
        case let ed as Ed25519NoteVerifier:
            #expect(key.alg == "ed25519")
            #expect(ed.publicKey.rawRepresentation == key.public_key)
            #expect(ed.verifierKey == key.vkey)
        case let ec as ECDSANoteVerifier:
            #expect(key.alg == "ecdsa-p256")
            #expect(Data(ec.spki) == key.public_key)
            #expect(ec.verifierKey == key.vkey)
        default:
            Issue.record("unexpected verifier type \(type(of: verifier))")
        }
    }

    @Test(.enabled(if: Vectors.available), arguments: keys.filter { $0.skey != nil })
    func signerKeyMatchesVerifierKey(_ key: NotesFile.Key) throws {
        let signer = try Ed25519NoteSigner(signerKey: key.skey!)
        #expect(signer.name == key.name)
        #expect(NoteKeyID.hex(signer.keyID) == key.key_id_hex)
        #expect(signer.verifier.verifierKey == key.vkey)
        #expect(signer.signerKey == key.skey)
    }

    /// The ECDSA keys of notes.json come with their private key: the PEM gives the same SPKI,
    /// key ID and verifier key.
    @Test(.enabled(if: Vectors.available), arguments: keys.filter { $0.private_key_pem != nil })
    func ecdsaPrivateKeyPEMGivesVerifierKey(_ key: NotesFile.Key) throws {
        let privateKey = try NotePrivateKey(pem: key.private_key_pem!)
        #expect(Data(privateKey.publicKey.spki) == key.public_key)
        let signer = try privateKey.signer(name: key.name)
        #expect(NoteKeyID.hex(signer.keyID) == key.key_id_hex)
        let verifier = try #require(try privateKey.publicKey.verifier(name: key.name) as? ECDSANoteVerifier)
        #expect(verifier.verifierKey == key.vkey)
    }

    @Test(.enabled(if: Vectors.available), arguments: keyIDVectors)
    func keyIDFollowsTheRuleOfItsType(_ vector: NotesFile.KeyIDVector) throws {
        let publicKey: NotePublicKey
        if let pem = vector.private_key_pem {
            publicKey = try NotePrivateKey(pem: pem).publicKey
        } else if vector.alg == "ed25519" {
            publicKey = .ed25519(try .init(rawRepresentation: try #require(vector.public_key)))
        } else {
            publicKey = try NotePublicKey(spki: [UInt8](try #require(vector.public_key)))
        }
        let keyID: UInt32, digest: Hash
        switch publicKey {
        case .ed25519(let key):
            keyID = NoteKeyID.ed25519(name: vector.name, publicKey: key.rawRepresentation)
            digest = NoteKeyID.ed25519Digest(name: vector.name, publicKey: key.rawRepresentation)
        case .p256:
            keyID = NoteKeyID.ecdsa(spki: publicKey.spki)
            digest = NoteKeyID.ecdsaDigest(spki: publicKey.spki)
        }
        #expect(NoteKeyID.hex(keyID) == vector.key_id_hex)
        #expect(try publicKey.verifier(name: vector.name).keyID == keyID)
        if let full = vector.full_hash_hex { #expect(digest.hex == full) }
    }

    @Test(.enabled(if: Vectors.available))
    func everyBadVerifierKeyIsRejected() throws {
        let file = try #require(NotesFile.shared)
        #expect(file.bad_vkeys.count == 2261)
        for bad in file.bad_vkeys {
            #expect(throws: KeyError.self, "\(bad.vkey) (\(bad.why))") { try NoteKeys.verifier(bad.vkey) }
        }
    }

    @Test(.enabled(if: Vectors.available))
    func everyBadSignerKeyIsRejected() throws {
        let file = try #require(NotesFile.shared)
        #expect(file.bad_skeys.count == 3125)
        for bad in file.bad_skeys {
            #expect(throws: KeyError.self, "\(bad.skey) (\(bad.why))") { try NoteKeys.signer(bad.skey) }
        }
    }

    @Test(.enabled(if: Vectors.available))
    func uppercaseKeyIDIsRejected() throws {
        let file = try #require(NotesFile.shared)
        #expect(!file.noncanonical_vkeys.isEmpty)
        for key in file.noncanonical_vkeys {
            #expect(throws: KeyError.invalidKeyIDHex("C74F20A3")) { try NoteKeys.verifier(key.vkey) }
        }
    }

    /// Named mutations of the PeterNeumann key, each failing the rule it names.
    @Test(arguments: [
        ("PeterNeumann+c74f20a3", KeyError.wrongFieldCount),
        ("PeterNeumann", .wrongFieldCount),
        ("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .invalidName("")),
        ("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .invalidName("Peter Neumann")),
        ("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .invalidKeyIDHex("c74f20a")),
        ("PeterNeumann+c74f20a3+", .invalidBase64),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", .invalidBase64),
        ("PeterNeumann+c74f20a3+AxpcAA==", .unsupportedType(3)),
        ("PeterNeumann+c74f20a3+ARpc", .wrongKeyLength(got: 2, want: 32)),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .keyIDMismatch(got: 0xc74f20a4, want: 0xc74f20a3)),
        ("PeterNeumanm+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .keyIDMismatch(got: 0xc74f20a3, want: NoteKeyID.ed25519(name: "PeterNeumanm", publicKey: Data(base64Encoded: "GlzZBxQ8OExB6DDFvOEqqIF+xWSaqr8sMTiLNbLXRNY=")!))),
        ("rekor.sigstore.dev+00000000+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=", .keyIDMismatch(got: 0, want: 0xc0d23d6a)),
    ])
    func malformedVerifierKeyNamesTheBrokenRule(key: String, error: KeyError) {
        #expect(throws: error) { try NoteKeys.verifier(key) }
    }

    @Test func verifierKeySplitsOnFirstTwoPlusSignsOnly() throws {
        // The Tessera key's base64 contains '+'.
        let verifier = try NoteKeys.verifier("example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx")
        #expect(verifier.name == "example.com/log/testdata")
        #expect(verifier.keyID == 0x33d7b496)
    }

    @Test(arguments: [
        ("PRIVATE+KEY+PeterNeumann+c74f20a3", KeyError.wrongFieldCount),
        ("PRIVATE+KEZ+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", .missingPrivateKeyPrefix),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", .missingPrivateKeyPrefix),
        ("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", .keyIDMismatch(got: 0xc74f20a4, want: 0xc74f20a3)),
        ("PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", .unsupportedType(2)),
    ])
    func malformedSignerKeyNamesTheBrokenRule(key: String, error: KeyError) {
        #expect(throws: error) { try NoteKeys.signer(key) }
    }

    @Test func generatedEd25519KeyStringsRoundTrip() throws {
        let signer = try Ed25519NoteSigner.generate(name: "example.com/log")
        let parsed = try Ed25519NoteSigner(signerKey: signer.signerKey)
        #expect(parsed.keyID == signer.keyID)
        #expect(parsed.privateKey.rawRepresentation == signer.privateKey.rawRepresentation)
        let verifier = try Ed25519NoteVerifier(verifierKey: signer.verifier.verifierKey)
        #expect(verifier.keyID == signer.keyID)
        #expect(verifier.verifierKey.hasPrefix("example.com/log+\(NoteKeyID.hex(signer.keyID))+A"))
    }

    @Test func generatedECDSAVerifierKeyRoundTrips() throws {
        let signer = try ECDSANoteSigner.generate(name: "rekor.example")
        let verifierKey = signer.verifier.verifierKey
        let parsed = try #require(try NoteKeys.verifier(verifierKey) as? ECDSANoteVerifier)
        #expect(parsed.spki == signer.verifier.spki)
        #expect(parsed.keyID == NoteKeyID.ecdsa(spki: parsed.spki))
        #expect(verifierKey.hasPrefix("rekor.example+\(NoteKeyID.hex(signer.keyID))+AjBZMBMGByqGSM49AgEGCCqGSM49AwEH"))
    }

    @Test func keyIDHexIsEightLowercaseDigits() {
        #expect(NoteKeyID.hex(0) == "00000000")
        #expect(NoteKeyID.hex(0xABCDEF) == "00abcdef")
        #expect(NoteKeyID.hex(0xFFFF_FFFF) == "ffffffff")
    }

    @Test func invalidNamesAreRefusedForNewKeys() {
        for name in ["", "a b", "a+b", "tab\tname", "nbsp\u{00A0}name", "ctl\u{01}"] {
            #expect(throws: KeyError.invalidName(name)) { try Ed25519NoteSigner.generate(name: name) }
        }
    }
}
