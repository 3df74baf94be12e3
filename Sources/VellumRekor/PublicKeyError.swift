/// Why the `publicKey.content` of an entry (or of an index search) could not be read, worded as
/// Rekor's `pkg/pki/x509.NewPublicKey` words it (rekor-v1.md §5.2 step 2).
public enum PublicKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No PEM block at all (also for empty content).
    case noPEMBlock
    /// A single block whose label is neither `PUBLIC KEY` nor `CERTIFICATE`.
    case unsupportedPEMType(label: String)
    /// The `PUBLIC KEY` block is not a SubjectPublicKeyInfo we can use.
    case malformedPublicKey(reason: String)
    /// Certificate `index` (0 = leaf) does not parse.
    case malformedCertificate(index: Int, reason: String)
    /// A chain block (`index`) is labelled `label` rather than `CERTIFICATE`.
    case chainBlockNotCertificate(index: Int, label: String)
    /// Text after the first block that is not another PEM block.
    case chainNotPEM
    /// More than `limit` certificates.
    case tooManyCertificates(limit: Int)

    public var description: String {
        switch self {
        case .noPEMBlock:
            return "invalid public key: failure decoding PEM"
        case .unsupportedPEMType(let label):
            return "invalid public key: cannot handle type \(label)"
        case .malformedPublicKey(let reason):
            return "x509: failed to parse public key: \(reason)"
        case .malformedCertificate(let index, let reason):
            return "x509: malformed certificate \(index): \(reason)"
        case .chainBlockNotCertificate(let index, let label):
            return "certificate chain block \(index) is \(label), want CERTIFICATE"
        case .chainNotPEM:
            return "error during PEM decoding"
        case .tooManyCertificates:
            return "too many certificates specified in PEM block"
        }
    }
}

extension PublicKeyError: RekorAPIErrorConvertible {
    /// 400, as on the create path (`error processing entry: …`).
    public var apiError: RekorAPIError { RekorEntryError.publicKey(self).apiError }
}
