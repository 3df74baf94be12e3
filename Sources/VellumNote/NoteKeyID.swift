import VellumMerkle

/// The key-ID rules of signed notes (C2SP signed-note, spec §2.1 and §6).
///
/// A key ID is the first 4 bytes, read big-endian, of a SHA-256 digest:
/// - Ed25519 (type `0x01`): `SHA-256(name || 0x0A || 0x01 || 32-byte public key)`;
/// - ECDSA (type `0x02`, transparency-dev/witness and Rekor v1):
///   `SHA-256(DER SubjectPublicKeyInfo)`. The key name is **not** included.
public enum NoteKeyID {
    /// The full digest behind an Ed25519 key ID. Rekor v2 uses it whole as the log ID.
    public static func ed25519Digest(name: String, publicKey: some Collection<UInt8>) -> Hash {
        var input = Array(name.utf8)
        input.append(0x0A)
        input.append(NoteSignatureType.ed25519.rawValue)
        input.append(contentsOf: publicKey)
        return RFC6962.sha256(of: input)
    }

    /// The key ID of an Ed25519 key named `name`.
    public static func ed25519(name: String, publicKey: some Collection<UInt8>) -> UInt32 {
        prefix(of: ed25519Digest(name: name, publicKey: publicKey))
    }

    /// The full digest behind an ECDSA key ID: `SHA-256(spki)`. Rekor v1 uses it whole as the
    /// log ID.
    public static func ecdsaDigest(spki: some Collection<UInt8>) -> Hash {
        RFC6962.sha256(of: Array(spki))
    }

    /// The key ID of an ECDSA key whose DER SubjectPublicKeyInfo is `spki`.
    public static func ecdsa(spki: some Collection<UInt8>) -> UInt32 {
        prefix(of: ecdsaDigest(spki: spki))
    }

    /// Eight lowercase hex digits, as in verifier keys.
    public static func hex(_ keyID: UInt32) -> String {
        let digits = String(keyID, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// Parses exactly eight lowercase hex digits; `nil` otherwise (C2SP: lowercase).
    static func parseHex(_ text: some StringProtocol) -> UInt32? {
        guard text.utf8.count == 8 else { return nil }
        var value: UInt32 = 0
        for byte in text.utf8 {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func prefix(of digest: Hash) -> UInt32 {
        digest.withUnsafeBytes { bytes in
            bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
        }
    }
}
