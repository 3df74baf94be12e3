import Crypto
import Foundation
import Testing
import VellumRekor

/// PEM is read as Go's `encoding/pem.Decode` reads it and written as `pem.Encode` writes it
/// (rekor-v1.md §5.2 step 2, §5.3): layout never changes the logged bytes.
@Suite struct PublicKeyContentTests {
    static let signer = TestSigner.p256()
    static var canonical: [UInt8] { Array(signer.publicKeyPEM.utf8) }
    static var base64Body: String {
        signer.publicKeyPEM.split(separator: "\n").dropFirst().dropLast().joined()
    }

    func parse(_ text: String) throws -> PublicKeyContent {
        try PublicKeyContent(pem: Array(text.utf8))
    }

    @Test func writesSixtyFourColumnPEMWithFinalNewline() throws {
        let content = try parse(Self.signer.publicKeyPEM)
        #expect(content.form == .publicKey)
        #expect(content.canonicalPEM == Self.canonical)
        #expect(content.certificates.isEmpty && content.subjectAlternativeNames.isEmpty)
        let lines = String(decoding: content.canonicalPEM, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.dropFirst().dropLast(2).allSatisfy { $0.count <= 64 })
        #expect(lines.last == "")
    }

    @Test(arguments: [
        ("crlf", "-----BEGIN PUBLIC KEY-----\r\nBODY\r\n-----END PUBLIC KEY-----\r\n"),
        ("one-line-body", "-----BEGIN PUBLIC KEY-----\nBODY\n-----END PUBLIC KEY-----"),
        ("surrounding-whitespace", "\n\n  \t-----BEGIN PUBLIC KEY-----\nBODY\n-----END PUBLIC KEY-----\n\n\n"),
        ("text-before", "my key:\n-----BEGIN PUBLIC KEY-----\nBODY\n-----END PUBLIC KEY-----\n"),
        ("headers", "-----BEGIN PUBLIC KEY-----\nProc-Type: 4,x\nComment: hi\n\nBODY\n-----END PUBLIC KEY-----\n"),
        ("spaces-in-body", "-----BEGIN PUBLIC KEY-----\n SPACED \n-----END PUBLIC KEY-----\n"),
        ("trailing-spaces-on-lines", "-----BEGIN PUBLIC KEY-----  \nBODY\t\n-----END PUBLIC KEY----- \n"),
    ])
    func acceptsWhatGoAccepts(name: String, template: String) throws {
        var body = Self.base64Body
        if template.contains("SPACED") {
            body = body.enumerated().map { $0.offset % 10 == 9 ? "\($0.element) " : String($0.element) }.joined()
        }
        let text = template.replacingOccurrences(of: "BODY", with: body).replacingOccurrences(of: "SPACED", with: body)
        #expect(try parse(text).canonicalPEM == Self.canonical, "\(name)")
    }

    @Test(arguments: [
        ("empty", ""),
        ("no-block", "hello"),
        ("mismatched-end-label", "-----BEGIN PUBLIC KEY-----\nBODY\n-----END CERTIFICATE-----\n"),
        ("text-after-end-marker", "-----BEGIN PUBLIC KEY-----\nBODY\n-----END PUBLIC KEY----- trailing\n"),
        ("missing-end", "-----BEGIN PUBLIC KEY-----\nBODY\n"),
        ("unpadded-body", "-----BEGIN PUBLIC KEY-----\nUNPADDED\n-----END PUBLIC KEY-----\n"),
        ("begin-not-at-line-start", "x-----BEGIN PUBLIC KEY-----\nBODY\n-----END PUBLIC KEY-----\n"),
    ])
    func refusesWhatGoRefuses(name: String, template: String) {
        let unpadded = Self.base64Body.replacingOccurrences(of: "=", with: "")
        let text = template.replacingOccurrences(of: "UNPADDED", with: unpadded + "A")
            .replacingOccurrences(of: "BODY", with: Self.base64Body)
        #expect(throws: PublicKeyError.noPEMBlock, "\(name)") { try parse(text) }
    }

    /// Go's PEM decoder ignores the unused bits of the last base64 character; the logged PEM is
    /// re-encoded, so it comes out canonical.
    @Test func reencodesNonCanonicalBase64() throws {
        // A P-256 SPKI is 91 bytes: its base64 ends in "X==" where X carries 4 unused bits.
        let body = Self.base64Body
        #expect(body.hasSuffix("=="))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let last = body[body.index(body.endIndex, offsetBy: -3)]
        let value = alphabet.firstIndex(of: last)!
        #expect(value & 0xF == 0)
        let altered = String(body.dropLast(3)) + String(alphabet[value | 0x5]) + "=="
        let text = "-----BEGIN PUBLIC KEY-----\n\(altered)\n-----END PUBLIC KEY-----\n"
        #expect(try parse(text).canonicalPEM == Self.canonical)
    }

    @Test func hashesTheCanonicalPEM() throws {
        let content = try parse("junk\n" + Self.signer.publicKeyPEM.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(content.canonicalPEMHash == TestSigner.hex(Array(SHA256.hash(data: Self.canonical))))
    }
}
