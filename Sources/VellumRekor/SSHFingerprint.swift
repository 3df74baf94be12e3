import Crypto
import Foundation
import _CryptoExtras

/// OpenSSH's SHA-256 key fingerprint (`ssh-keygen -l`, Go's `ssh.FingerprintSHA256`):
/// `SHA256:` and the unpadded base64 of the SHA-256 of the key in the SSH wire format (RFC 4253
/// §6.6, RFC 5656 §3.1, RFC 8709 §4). sigstore's DSSE verifier uses it as the key ID, so an
/// intoto 0.0.1 signature whose `keyid` is set must carry it (dsse-intoto.md §2.3).
enum SSHFingerprint {
    static func sha256(of key: VerifyingKey) -> String {
        let digest = SHA256.hash(data: wireFormat(key))
        var text = Base64.encode(Array(digest))
        while text.hasSuffix("=") { text.removeLast() }
        return "SHA256:" + text
    }

    /// The key as an SSH public key blob: its type name, then its fields as SSH strings
    /// (a uint32 length, then the bytes) or mpints (big-endian, a leading zero byte when the
    /// top bit is set).
    static func wireFormat(_ key: VerifyingKey) -> [UInt8] {
        var out: [UInt8] = []
        switch key {
        case .p256(let p256):
            appendString(Array("ecdsa-sha2-nistp256".utf8), to: &out)
            appendString(Array("nistp256".utf8), to: &out)
            appendString(Array(p256.x963Representation), to: &out)
        case .p384(let p384):
            appendString(Array("ecdsa-sha2-nistp384".utf8), to: &out)
            appendString(Array("nistp384".utf8), to: &out)
            appendString(Array(p384.x963Representation), to: &out)
        case .p521(let p521):
            appendString(Array("ecdsa-sha2-nistp521".utf8), to: &out)
            appendString(Array("nistp521".utf8), to: &out)
            appendString(Array(p521.x963Representation), to: &out)
        case .rsa(let rsa):
            let (modulus, exponent) = rsaComponents(rsa)
            appendString(Array("ssh-rsa".utf8), to: &out)
            appendString(mpint(exponent), to: &out)
            appendString(mpint(modulus), to: &out)
        case .ed25519(let ed25519):
            appendString(Array("ssh-ed25519".utf8), to: &out)
            appendString(Array(ed25519.rawRepresentation), to: &out)
        }
        return out
    }

    private static func appendString(_ bytes: [UInt8], to out: inout [UInt8]) {
        let count = UInt32(bytes.count)
        out += [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
        out += bytes
    }

    /// A non-negative integer as an SSH mpint body: minimal big-endian, a zero byte first when
    /// the top bit is set.
    private static func mpint(_ bigEndian: [UInt8]) -> [UInt8] {
        let trimmed = Array(bigEndian.drop(while: { $0 == 0 }))
        guard let first = trimmed.first else { return [] }
        return first & 0x80 != 0 ? [0] + trimmed : trimmed
    }

    /// The modulus and public exponent of an RSA key, read from its PKCS#1 `RSAPublicKey`
    /// DER (`SEQUENCE { modulus INTEGER, publicExponent INTEGER }`).
    private static func rsaComponents(_ key: _RSA.Signing.PublicKey) -> (modulus: [UInt8], exponent: [UInt8]) {
        let der = Array(key.pkcs1DERRepresentation)
        var reader = DERReader(der[...])
        guard let sequence = reader.read(tag: 0x30) else { return ([], []) }
        var fields = DERReader(sequence)
        let modulus = fields.read(tag: 0x02).map(Array.init) ?? []
        let exponent = fields.read(tag: 0x02).map(Array.init) ?? []
        return (modulus, exponent)
    }

    /// Just enough DER to walk a PKCS#1 public key (definite lengths only).
    private struct DERReader {
        var rest: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

        mutating func read(tag: UInt8) -> ArraySlice<UInt8>? {
            guard rest.count >= 2, rest[rest.startIndex] == tag else { return nil }
            var cursor = rest.startIndex + 1
            var length = Int(rest[cursor])
            cursor += 1
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard count >= 1, count <= 4, rest.endIndex - cursor >= count else { return nil }
                length = 0
                for _ in 0..<count {
                    length = length << 8 | Int(rest[cursor])
                    cursor += 1
                }
            }
            guard rest.endIndex - cursor >= length else { return nil }
            defer { rest = rest[(cursor + length)...] }
            return rest[cursor..<(cursor + length)]
        }
    }
}
