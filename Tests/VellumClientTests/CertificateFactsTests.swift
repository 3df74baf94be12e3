import Crypto
import Foundation
import Testing
@testable import VellumClient
import VellumRekor
import VellumTesting
import SwiftASN1
import X509

/// The DER walk that reads certificate fields for the watch list, against swift-certificates on
/// every certificate at hand: the Fulcio-like ones the tests make and the real Fulcio
/// certificates in sigstore-python's bundles; and the quick matcher against the full one.
@Suite struct CertificateFactsTests {
    static func certificates() throws -> [[UInt8]] {
        var ders: [[UInt8]] = []
        let made = [
            TestEntries.certificatePEM(key: .init(), email: "alice@example.test"),
            TestEntries.certificatePEM(key: .init(), uri: "https://github.com/org/repo/.github/workflows/r.yml@refs/heads/main",
                                       issuer: "https://token.actions.githubusercontent.com", buildSigner: "https://github.com/org/repo"),
            TestEntries.certificatePEM(key: .init(), email: "a@b.test", uri: "spiffe://example.test/x"),
        ]
        for pem in made { ders.append(Array(try Certificate(pemEncoded: pem).serializeAsPEM().derBytes)) }
        if Vectors.available {
            for name in ["bundle.txt.sigstore", "bundle_v3.txt.sigstore", "bundle_v3_github.whl.sigstore", "bundle_v3_no_signed_time.txt.sigstore.json"] {
                let object = try JSONSerialization.jsonObject(with: Vectors.data("upstream/sigstore_sigstore-python/test/assets/" + name)) as! [String: Any]
                let material = object["verificationMaterial"] as! [String: Any]
                let raw = ((material["certificate"] as? [String: Any])?["rawBytes"] as? String)
                    ?? (((material["x509CertificateChain"] as? [String: Any])?["certificates"] as? [[String: Any]])?.first?["rawBytes"] as? String)
                ders.append(Array(Data(base64Encoded: raw!)!))
            }
        }
        return ders
    }

    @Test func readsWhatSwiftCertificatesReads() throws {
        let ders = try Self.certificates()
        #expect(ders.count >= 3)
        for der in ders {
            let facts = try #require(CertificateFacts(der: der))
            let content = try PublicKeyContent(pem: Array(PEMDocument(type: "CERTIFICATE", derBytes: der).pemString.utf8))
            #expect(facts.subjectAlternativeNames == content.subjectAlternativeNames)
            #expect(Array(facts.subjectPublicKeyInfo) == (try WatchList.der(content.publicKey)))
            let parsed = try Certificate(derEncoded: der)
            #expect(facts.extensions.count == Array(parsed.extensions).count)
            for (mine, theirs) in zip(facts.extensions, parsed.extensions) {
                #expect(Array(mine.value) == Array(theirs.value))
            }
            #expect(WatchList.issuer(in: facts) == WatchList.issuer(of: parsed))
        }
    }

    @Test func damagedCertificatesDoNotWalk() throws {
        let der = try Self.certificates()[0]
        #expect(CertificateFacts(der: Array(der.prefix(der.count / 2))) == nil)
        #expect(CertificateFacts(der: [0x30, 0x03, 0x02, 0x01, 0x01]) == nil)
        #expect(CertificateFacts(der: []) == nil)
    }

    @Test func theQuickMatcherFindsWhatTheFullOneFinds() throws {
        let (entries, _, _) = MonitorWatchTests.population()
        let watch = try WatchList(yaml: MonitorWatchTests.watch)
        var compared = 0
        for body in entries {
            guard let full = try? LoggedEntry(body: body) else { continue }
            let quick = try LoggedEntry(body: body, parseKeys: false)
            #expect(watch.quickMatches(quick) == watch.matches(full))
            compared += 1
        }
        #expect(compared > 300)
    }
}
