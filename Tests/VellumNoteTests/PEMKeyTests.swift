import Crypto
import Foundation
import Testing
import VellumNote
import VellumTesting

/// PEM loading and writing of Ed25519 and P-256 keys.
@Suite struct PEMKeyTests {
    /// The rekor-tiles Ed25519 test key (PKCS#8).
    static let ed25519PEM = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGuZ8UWTFmXi/26ZgF4VYL8HfLSuW12TN5XMFQRt1Loc\n-----END PRIVATE KEY-----\n"
    /// The rekor-tiles P-256 test key (SEC 1).
    static let p256PEM = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIOMZNOBbRU3CHBjZoc13R8HYNUoqsvce5UlOmRzlOZqUoAoGCCqGSM49\nAwEHoUQDQgAEeLw7gX40qy1z7JUhGMAaaDITbV7p2D+C5G9xPEsy/PVAo9H0mgS4\nNYzpGirkXxBht+IvvL19WR1X9ANXha5ldQ==\n-----END EC PRIVATE KEY-----\n"

    @Test func ed25519PKCS8WritesBackByteIdentically() throws {
        let key = try NotePrivateKey(pem: Self.ed25519PEM)
        guard case .ed25519 = key else { Issue.record("not Ed25519"); return }
        #expect(key.pkcs8PEM == Self.ed25519PEM)
        #expect(key.sec1PEM == nil)
    }

    @Test func p256SEC1WritesBackByteIdentically() throws {
        let key = try NotePrivateKey(pem: Self.p256PEM)
        guard case .p256 = key else { Issue.record("not P-256"); return }
        #expect(key.sec1PEM == Self.p256PEM)
        let fromPKCS8 = try NotePrivateKey(pem: key.pkcs8PEM)
        #expect(fromPKCS8.publicKey == key.publicKey)
        #expect(key.pkcs8PEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
    }

    @Test(arguments: ["ed25519", "p256"])
    func generatedKeyPEMRoundTrips(algorithm: String) throws {
        let key = algorithm == "ed25519" ? NotePrivateKey.generateEd25519() : .generateP256()
        let pems = [key.pkcs8PEM] + (key.sec1PEM.map { [$0] } ?? [])
        for pem in pems {
            let loaded = try NotePrivateKey(pem: pem)
            #expect(loaded.publicKey == key.publicKey)
            #expect(loaded.pkcs8PEM == key.pkcs8PEM)
            // The loaded key signs what the original's verifier accepts.
            let signer = try loaded.signer(name: "log.example")
            let message = try Note.sign(text: "hi\n", signers: [signer])
            let verifier = try key.publicKey.verifier(name: "log.example")
            #expect(try Note.open(message, verifiers: [verifier]).verified.count == 1)
        }
        let publicKey = try NotePublicKey(pem: key.publicKey.pem)
        #expect(publicKey == key.publicKey)
        #expect(publicKey.pem == key.publicKey.pem)
        #expect(key.publicKey.pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
    }

    @Test func p256SPKIMatchesSwiftCrypto() throws {
        let key = try NotePrivateKey(pem: Self.p256PEM)
        guard case .p256(let raw) = key else { Issue.record("not P-256"); return }
        #expect(key.publicKey.spki == Array(raw.publicKey.derRepresentation))
        #expect(key.publicKey.pem == raw.publicKey.pemRepresentation + "\n"
            || key.publicKey.pem == raw.publicKey.pemRepresentation)
    }

    @Test func ed25519SPKIIsTheRFC8410Layout() throws {
        let key = try NotePrivateKey(pem: Self.ed25519PEM)
        let spki = key.publicKey.spki
        #expect(spki.count == 44)
        #expect(Array(spki.prefix(12)) == [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00])
    }

    @Test func pemToleratesSurroundingSpaceAndCRLF() throws {
        let crlf = "\n  " + Self.ed25519PEM.replacingOccurrences(of: "\n", with: "\r\n") + "\n\n"
        #expect(try NotePrivateKey(pem: crlf).publicKey == NotePrivateKey(pem: Self.ed25519PEM).publicKey)
    }

    @Test(arguments: [
        ("", KeyError.malformedPEM("expected -----BEGIN …-----, base64 lines, -----END …-----")),
        ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", .malformedPEM("the last line is not -----END PRIVATE KEY-----")),
        ("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", .unsupportedPEMLabel("RSA PRIVATE KEY")),
        ("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGlzZBxQ8OExB6DDFvOEqqIF+xWSaqr8sMTiLNbLXRNY=\n-----END PUBLIC KEY-----\n", .unsupportedPEMLabel("PUBLIC KEY")),
        ("-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END PRIVATE KEY-----\n", .malformedPEM("the body is not standard padded base64 (headers are not supported)")),
    ])
    func badPrivateKeyPEMIsRejected(pem: String, error: KeyError) {
        #expect(throws: error) { try NotePrivateKey(pem: pem) }
    }

    @Test func unknownPKCS8AlgorithmIsRejected() {
        // An X25519 PKCS#8 key: same layout as Ed25519 but OID 1.3.101.110.
        let x25519 = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIGuZ8UWTFmXi/26ZgF4VYL8HfLSuW12TN5XMFQRt1Loc\n-----END PRIVATE KEY-----\n"
        #expect(throws: KeyError.self) { try NotePrivateKey(pem: x25519) }
    }

    @Test func ed25519PublicKeyPEMLoads() throws {
        let pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGlzZBxQ8OExB6DDFvOEqqIF+xWSaqr8sMTiLNbLXRNY=\n-----END PUBLIC KEY-----\n"
        let key = try NotePublicKey(pem: pem)
        guard case .ed25519(let raw) = key else { Issue.record("not Ed25519"); return }
        // PeterNeumann's key from golang.org/x/mod.
        #expect(raw.rawRepresentation.base64EncodedString() == "GlzZBxQ8OExB6DDFvOEqqIF+xWSaqr8sMTiLNbLXRNY=")
        #expect(key.pem == pem)
        #expect(try key.verifier(name: "PeterNeumann").keyID == 0xc74f20a3)
        #expect(throws: KeyError.unsupportedPEMLabel("PRIVATE KEY")) { try NotePublicKey(pem: Self.ed25519PEM) }
    }

    @Test func compressedP256PublicKeyIsRejected() throws {
        let key = P256.Signing.PrivateKey().publicKey
        // SPKI with a compressed point: not the canonical encoding Rekor and C2SP use.
        var spki: [UInt8] = [0x30, 0x39, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
                             0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x22, 0x00]
        spki += key.compressedRepresentation
        #expect(throws: KeyError.self) { try NotePublicKey(spki: spki) }
    }
}
