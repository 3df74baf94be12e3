/// Why a signature does not verify over the submitted digest, worded like the sigstore Go
/// verifiers Rekor uses (`sigstore/pkg/signature`).
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `signature.content` was empty or absent.
    case empty
    /// The key is of a type no hashedrekord verifier handles.
    case unsupportedKeyType
    /// The key type cannot verify with this digest algorithm (Ed25519ph takes only SHA-512).
    case unsupportedHash(HashAlgorithm, supported: [HashAlgorithm])
    /// A DER ECDSA signature that does not verify.
    case invalidECDSADER
    /// A raw r‖s ECDSA signature of an impossible length.
    case invalidECDSARawLength(Int)
    /// A raw r‖s ECDSA signature that does not verify.
    case invalidECDSARaw
    /// A PKCS#1 v1.5 signature that does not verify.
    case invalidRSA
    /// An Ed25519ph signature of the wrong length.
    case invalidEd25519Length(Int)
    /// An Ed25519ph signature that does not verify.
    case invalidEd25519

    public var description: String {
        switch self {
        case .empty:
            return "X509 signature has not been initialized"
        case .unsupportedKeyType:
            return "unsupported public key type"
        case .unsupportedHash(let hash, let supported):
            let list = supported.map(\.goName).joined(separator: " ")
            return "unsupported hash algorithm: \"\(hash.goName)\" not in [\(list)]"
        case .invalidECDSADER:
            return "invalid signature when validating ASN.1 encoded signature"
        case .invalidECDSARawLength:
            return "ecdsa: Invalid IEEE_P1363 encoded bytes"
        case .invalidECDSARaw:
            return "invalid signature when validating IEEE_P1363 encoded signature"
        case .invalidRSA:
            return "crypto/rsa: verification error"
        case .invalidEd25519Length(let length):
            return "failed to verify signature: ed25519: bad signature length: \(length)"
        case .invalidEd25519:
            return "failed to verify signature: ed25519: invalid signature"
        }
    }
}

extension SignatureError: RekorAPIErrorConvertible {
    /// 400, as on the create path (`error processing entry: verifying signature: …`).
    public var apiError: RekorAPIError { RekorEntryError.signature(self).apiError }
}
