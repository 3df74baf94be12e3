/// The kind of key that signed an entry, as far as the algorithm policy cares.
public enum KeyAlgorithm: Sendable, Equatable, CustomStringConvertible {
    case ecdsaP256
    case ecdsaP384
    case ecdsaP521
    case rsa(bits: Int)
    case ed25519

    public var description: String {
        switch self {
        case .ecdsaP256: "ECDSA P-256"
        case .ecdsaP384: "ECDSA P-384"
        case .ecdsaP521: "ECDSA P-521"
        case .rsa(let bits): "RSA-\(bits)"
        case .ed25519: "Ed25519"
        }
    }

    /// Rekor's default `--client-signing-algorithms` for hashedrekord (rekor-v1.md §5.2 step 5):
    /// ECDSA P-256+sha256, P-384+sha384, P-521+sha512; RSA 2048/3072/4096 with sha256
    /// (PKCS#1 v1.5); Ed25519ph with sha512. Pure Ed25519 is listed by Rekor too but pairs with
    /// "no hash", so it never matches a hashedrekord entry.
    public func isAllowed(with hash: HashAlgorithm) -> Bool {
        switch (self, hash) {
        case (.ecdsaP256, .sha256), (.ecdsaP384, .sha384), (.ecdsaP521, .sha512), (.ed25519, .sha512):
            return true
        case (.rsa(let bits), .sha256):
            return bits == 2048 || bits == 3072 || bits == 4096
        default:
            return false
        }
    }
}
