import Foundation

/// Why a certificate chain in an entry does not verify, worded like Go's `crypto/x509` errors.
public enum CertificateChainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No path from the leaf to the last certificate.
    case unknownAuthority
    /// Certificate `index` is not valid at `time` (the leaf's notBefore).
    case notValidAtLeafNotBefore(index: Int, time: Date)
    /// Certificate `index` issues another but is not a CA (basic constraints, key usage).
    case notAuthorizedToSign(index: Int)
    /// Certificate `index` allows fewer intermediates below it than the path has.
    case pathLengthExceeded(index: Int)
    /// Certificate `index` has an extension we cannot read.
    case malformedExtension(index: Int, reason: String)

    public var description: String {
        switch self {
        case .unknownAuthority:
            return "x509: certificate signed by unknown authority"
        case .notValidAtLeafNotBefore(let index, let time):
            return "x509: certificate \(index) has expired or is not yet valid at \(time) (the leaf's notBefore)"
        case .notAuthorizedToSign(let index):
            return "x509: certificate \(index) is not authorized to sign other certificates"
        case .pathLengthExceeded(let index):
            return "x509: too many intermediates for path length constraint of certificate \(index)"
        case .malformedExtension(let index, let reason):
            return "x509: certificate \(index): \(reason)"
        }
    }
}

extension CertificateChainError: RekorAPIErrorConvertible {
    /// 400, as on the create path (`error processing entry: verifying signature: …`).
    public var apiError: RekorAPIError { RekorEntryError.chain(self).apiError }
}
