import Crypto
import SwiftASN1
import Testing
import X509
@testable import VellumRekor

/// The shortcut that skips re-encoding a P-256 SPKI laid out as Go writes it must accept
/// exactly what the re-encoding check accepts.
@Suite struct CanonicalP256LayoutTests {
    func reencoded(_ der: [UInt8]) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(try Certificate.PublicKey(derEncoded: der))
        return serializer.serializedBytes
    }

    func pem(_ der: [UInt8]) -> [UInt8] {
        Array("-----BEGIN PUBLIC KEY-----\n\(Base64Text.encode(der))\n-----END PUBLIC KEY-----\n".utf8)
    }

    @Test func everyGeneratedP256KeyHasTheLayoutAndReencodesToItself() throws {
        for _ in 0..<200 {
            let der = Array(P256.Signing.PrivateKey().publicKey.derRepresentation)
            #expect(PublicKeyContent.hasCanonicalP256Layout(der))
            #expect(try reencoded(der) == der)
            #expect(try PublicKeyContent(pem: pem(der)).form == .publicKey)
        }
    }

    @Test func otherLayoutsTakeTheReencodingCheck() {
        let key = P256.Signing.PrivateKey().publicKey
        let der = Array(key.derRepresentation)
        var compressed = Array(PublicKeyContent.canonicalP256Prefix.dropLast())
        compressed[1] = 0x39
        compressed[24] = 0x22
        compressed += Array(key.compressedRepresentation)
        #expect(!PublicKeyContent.hasCanonicalP256Layout(compressed))
        #expect(!PublicKeyContent.hasCanonicalP256Layout(Array(P384.Signing.PrivateKey().publicKey.derRepresentation)))
        #expect(!PublicKeyContent.hasCanonicalP256Layout(der + [0]))
        #expect(!PublicKeyContent.hasCanonicalP256Layout(Array(der.dropLast())))
        for position in PublicKeyContent.canonicalP256Prefix.indices {
            var altered = der
            altered[position] ^= 0x01
            #expect(!PublicKeyContent.hasCanonicalP256Layout(altered), "byte \(position) altered")
        }
    }

    /// The layout says nothing about the point: one off the curve is refused by the parse that
    /// comes first.
    @Test func refusesAPointOffTheCurveInTheCanonicalLayout() {
        var der = Array(P256.Signing.PrivateKey().publicKey.derRepresentation)
        der[der.count - 1] ^= 0x01
        #expect(PublicKeyContent.hasCanonicalP256Layout(der))
        let error = #expect(throws: PublicKeyError.self) { try PublicKeyContent(pem: pem(der)) }
        guard case .malformedPublicKey? = error else {
            Issue.record("want malformedPublicKey, got \(String(describing: error))")
            return
        }
    }
}
