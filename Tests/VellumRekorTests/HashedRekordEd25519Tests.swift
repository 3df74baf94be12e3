import Crypto
import Testing
import VellumRekor
import X509

/// Ed25519 keys in hashedrekord: Ed25519ph over a SHA-512 digest only (rekor-v1.md §5.2 step 4),
/// checked by `Ed25519Verification.verifyPrehashed` (libsodium).
@Suite struct HashedRekordEd25519Tests {
    @Test func acceptsEd25519phOverSHA512() throws {
        let signer = TestSigner.ed25519()
        let entry = try ProposedEntry.canonicalize(signer.entry(hash: .sha512))
        #expect(entry.searchKeys.count == 2)
        let pem = try JSONValue.parse(entry.body)["spec"]!["signature"]!["publicKey"]!["content"]!.stringValue!
        #expect(String(decoding: Base64Text.decode(pem)!, as: UTF8.self).hasPrefix("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA"))
    }

    @Test func acceptsEd25519LeafCertificate() throws {
        let signer = TestSigner.ed25519()
        let ca = TestSigner.p256()
        let leaf = try TestCertificates.make(subject: "ed25519 leaf", key: signer, issuer: ("Test CA", ca), isCA: false,
                                             sans: [.rfc822Name("ed@example.com")])
        let root = try TestCertificates.make(subject: "Test CA", key: ca, isCA: true)
        let entry = try ProposedEntry.canonicalize(signer.entry(hash: .sha512, pem: TestCertificates.pem([leaf, root])))
        #expect(entry.searchKeys.contains("ed@example.com"))
    }

    @Test func refusesOtherDigestsAndBadSignatures() throws {
        let signer = TestSigner.ed25519()
        // Ed25519ph takes SHA-512 only, so a sha256 entry fails verification, before the matrix.
        let digest = SHA256.hash(data: [1, 2, 3])
        var signature = [UInt8](repeating: 0, count: 64)
        let sha256 = TestSigner.entry(signature: Base64Text.encode(signature), pem: signer.publicKeyPEM,
                                      algorithm: "sha256", digestHex: TestSigner.hex(Array(digest)))
        let error = #expect(throws: RekorEntryError.self) { try ProposedEntry.canonicalize(sha256) }
        #expect(error == .signature(.unsupportedHash(.sha256, supported: [.sha512])))
        #expect(error?.apiError.message == #"error processing entry: verifying signature: unsupported hash algorithm: "SHA-256" not in [SHA-512]"#)

        let sha512 = SHA512.hash(data: [1, 2, 3])
        signature = signer.signPrehashed(message: [4, 5, 6])
        let wrong = TestSigner.entry(signature: Base64Text.encode(signature), pem: signer.publicKeyPEM,
                                     algorithm: "sha512", digestHex: TestSigner.hex(Array(sha512)))
        #expect(throws: RekorEntryError.signature(.invalidEd25519)) { try ProposedEntry.canonicalize(wrong) }
        let short = TestSigner.entry(signature: Base64Text.encode([1, 2, 3]), pem: signer.publicKeyPEM,
                                     algorithm: "sha512", digestHex: TestSigner.hex(Array(sha512)))
        #expect(throws: RekorEntryError.signature(.invalidEd25519Length(3))) { try ProposedEntry.canonicalize(short) }
    }
}
