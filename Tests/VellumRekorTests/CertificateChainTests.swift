import Crypto
import Foundation
import SwiftASN1
import Testing
import VellumRekor
import X509

/// Entries whose key material is a certificate or a chain (rekor-v1.md §5.2 step 2): chains are
/// verified leaf → last certificate at the leaf's notBefore; the leaf's SANs become index keys.
@Suite struct CertificateChainTests {
    static let rootKey = TestSigner.p256()
    static let intermediateKey = TestSigner.p384()
    static let leafKey = TestSigner.p256()

    static func root(notAfter: Date = TestCertificates.now.addingTimeInterval(86400)) throws -> Certificate {
        try TestCertificates.make(subject: "Test Root", key: rootKey, isCA: true, notAfter: notAfter)
    }

    static func leaf(issuer: String, key issuerKey: TestSigner, sans: [GeneralName] = [.rfc822Name("Alice@Example.COM")],
                     notBefore: Date = TestCertificates.now.addingTimeInterval(-600),
                     notAfter: Date = TestCertificates.now.addingTimeInterval(600)) throws -> Certificate {
        try TestCertificates.make(subject: "leaf", key: leafKey, issuer: (issuer, issuerKey), isCA: false,
                                  notBefore: notBefore, notAfter: notAfter, sans: sans)
    }

    func canonicalize(_ certificates: [Certificate], hash: HashAlgorithm = .sha256) throws -> CanonicalEntry {
        try ProposedEntry.canonicalize(Self.leafKey.entry(hash: hash, pem: TestCertificates.pem(certificates)))
    }

    func error(_ certificates: [Certificate]) throws -> RekorEntryError? {
        let entry = Self.leafKey.entry(hash: .sha256, pem: try TestCertificates.pem(certificates))
        return #expect(throws: RekorEntryError.self) { try ProposedEntry.canonicalize(entry) }
    }

    @Test func acceptsSingleCertificateAndIndexesItsEmail() throws {
        let leaf = try Self.leaf(issuer: "Test Root", key: Self.rootKey)
        let entry = try canonicalize([leaf])
        #expect(entry.searchKeys.contains("alice@example.com"))
        #expect(entry.searchKeys.count == 3)
        let pem = try JSONValue.parse(entry.body)["spec"]!["signature"]!["publicKey"]!["content"]!.stringValue!
        #expect(String(decoding: Base64Text.decode(pem)!, as: UTF8.self).hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(entry.searchKeys.first == TestSigner.hex(Array(SHA256.hash(data: Base64Text.decode(pem)!))))
    }

    @Test func acceptsChainToItsLastCertificate() throws {
        let root = try Self.root()
        let leaf = try Self.leaf(issuer: "Test Root", key: Self.rootKey)
        let entry = try canonicalize([leaf, root])
        let pem = try JSONValue.parse(entry.body)["spec"]!["signature"]!["publicKey"]!["content"]!.stringValue!
        let text = String(decoding: Base64Text.decode(pem)!, as: UTF8.self)
        #expect(text.components(separatedBy: "-----BEGIN CERTIFICATE-----\n").count == 3)
        #expect(text.hasSuffix("-----END CERTIFICATE-----\n"))
        #expect(entry.searchKeys.contains("alice@example.com"))
    }

    @Test func acceptsIntermediatesInAnyOrder() throws {
        let root = try Self.root()
        let key2 = TestSigner.p256()
        let first = try TestCertificates.make(subject: "Intermediate 1", key: Self.intermediateKey,
                                              issuer: ("Test Root", Self.rootKey), isCA: true)
        let second = try TestCertificates.make(subject: "Intermediate 2", key: key2,
                                               issuer: ("Intermediate 1", Self.intermediateKey), isCA: true)
        let leaf = try Self.leaf(issuer: "Intermediate 2", key: key2)
        _ = try canonicalize([leaf, second, first, root])
        _ = try canonicalize([leaf, first, second, root])
    }

    /// Short-lived certificates (Fulcio's last 10 minutes) must still verify long after.
    @Test func verifiesAtTheLeafsNotBefore() throws {
        let longAgo = TestCertificates.now.addingTimeInterval(-400 * 86400)
        let root = try TestCertificates.make(subject: "Old Root", key: Self.rootKey, isCA: true,
                                             notBefore: longAgo.addingTimeInterval(-86400), notAfter: longAgo.addingTimeInterval(86400))
        let leaf = try Self.leaf(issuer: "Old Root", key: Self.rootKey, notBefore: longAgo, notAfter: longAgo.addingTimeInterval(600))
        _ = try canonicalize([leaf, root])
    }

    @Test func refusesElevenCertificates() throws {
        let root = try Self.root()
        let leaf = try Self.leaf(issuer: "Test Root", key: Self.rootKey)
        #expect(try error([leaf] + Array(repeating: root, count: 10)) == .publicKey(.tooManyCertificates(limit: 10)))
        _ = try canonicalize([leaf] + Array(repeating: root, count: 9))  // ten is fine
    }

    @Test func refusesBrokenChains() throws {
        let otherRoot = try TestCertificates.make(subject: "Test Root", key: TestSigner.p256(), isCA: true)
        let leaf = try Self.leaf(issuer: "Test Root", key: Self.rootKey)
        let unknown = try error([leaf, otherRoot])
        #expect(unknown == .chain(.unknownAuthority))
        #expect(unknown?.apiError.message == "error processing entry: verifying signature: x509: certificate signed by unknown authority")

        let notCA = try TestCertificates.make(subject: "Not A CA", key: Self.intermediateKey,
                                              issuer: ("Test Root", Self.rootKey), isCA: false)
        let leafOfNotCA = try Self.leaf(issuer: "Not A CA", key: Self.intermediateKey)
        #expect(try error([leafOfNotCA, notCA, try Self.root()]) == .chain(.notAuthorizedToSign(index: 1)))

        let expiredRoot = try Self.root(notAfter: TestCertificates.now.addingTimeInterval(-1200))
        let expired = try error([leaf, expiredRoot])
        guard case .chain(.notValidAtLeafNotBefore(index: 1, _))? = expired else {
            Issue.record("want notValidAtLeafNotBefore, got \(String(describing: expired))")
            return
        }
    }

    @Test func refusesChainsWithOtherBlocks() throws {
        let leaf = try Self.leaf(issuer: "Test Root", key: Self.rootKey)
        let leafPEM = try TestCertificates.pem([leaf])
        let withKey = Self.leafKey.entry(hash: .sha256, pem: leafPEM + Self.rootKey.publicKeyPEM)
        #expect(throws: RekorEntryError.publicKey(.chainBlockNotCertificate(index: 1, label: "PUBLIC KEY"))) {
            try ProposedEntry.canonicalize(withKey)
        }
        let withJunk = Self.leafKey.entry(hash: .sha256, pem: leafPEM + "trailing junk\n")
        #expect(throws: RekorEntryError.publicKey(.chainNotPEM)) { try ProposedEntry.canonicalize(withJunk) }
    }

    @Test func indexesEverySubjectAlternativeName() throws {
        let username = try GeneralName.OtherName(typeID: [1, 3, 6, 1, 4, 1, 57264, 1, 7],
                                                 value: ASN1Any(erasing: ASN1UTF8String("GitHub-User")))
        let sans: [GeneralName] = [
            .rfc822Name("Alice@Example.COM"), .dnsName("Build.Example.com"),
            .uniformResourceIdentifier("https://github.com/Org/Repo/.github/workflows/build.yml@refs/heads/main"),
            .ipAddress(ASN1OctetString(contentBytes: [192, 0, 2, 1])),
            .ipAddress(ASN1OctetString(contentBytes: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
            .otherName(username),
        ]
        let leaf = try Self.leaf(issuer: "Test Root", key: Self.rootKey, sans: sans)
        let entry = try canonicalize([leaf, try Self.root()])
        for key in ["alice@example.com", "build.example.com",
                    "https://github.com/org/repo/.github/workflows/build.yml@refs/heads/main",
                    "192.0.2.1", "2001:db8::1", "github-user"] {
            #expect(entry.searchKeys.contains(key), "\(key) in \(entry.searchKeys)")
        }
        #expect(entry.searchKeys.count == 8)
    }

    /// The matrix applies to the leaf certificate's key.
    @Test func checksTheLeafKeyAgainstTheMatrix() throws {
        let leaf = try Self.leaf(issuer: "Test Root", key: Self.rootKey)
        let entry = Self.leafKey.entry(hash: .sha512, pem: try TestCertificates.pem([leaf, try Self.root()]))
        #expect(throws: RekorEntryError.algorithmNotAllowed(key: .ecdsaP256, hash: .sha512)) {
            try ProposedEntry.canonicalize(entry)
        }
    }
}
