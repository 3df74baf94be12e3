/// The digest algorithms hashedrekord 0.0.1 allows in `spec.data.hash.algorithm`
/// (its schema enum, rekor-v1.md §5.1).
public enum HashAlgorithm: String, Sendable, CaseIterable {
    case sha256
    case sha384
    case sha512

    /// The digest size in bytes.
    public var byteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The digest size in hex characters, which `hash.value` must have.
    public var hexLength: Int { byteCount * 2 }

    /// Go's `crypto.Hash.String()` name, used in error messages.
    var goName: String {
        switch self {
        case .sha256: "SHA-256"
        case .sha384: "SHA-384"
        case .sha512: "SHA-512"
        }
    }
}
