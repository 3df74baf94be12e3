import Foundation
import X509

extension PublicKeyContent {
    /// Verifies a ``Form/chain`` as Rekor does (`verifyCertChain`, rekor-v1.md §5.2 step 2):
    /// the last certificate is the only trust anchor, the others are intermediates usable in any
    /// order, any extended key usage is fine, and validity is checked at the leaf's notBefore so
    /// that expired short-lived certificates still verify.
    ///
    /// swift-certificates' `Verifier` is asynchronous and policy-driven, so instead this walks
    /// the path itself, as Go's `x509.Certificate.Verify` does for these options: each issuer
    /// is found by subject name = issuer name, must have signed the certificate below it (checked
    /// with `Certificate.PublicKey.isValidSignature(_:for:)`), must be a CA (basic constraints
    /// `cA`, and `keyCertSign` when key usage is present; v1 issuers pass), must respect its
    /// path-length constraint, and must be valid at that time. Known gaps: name constraints,
    /// policy constraints and unhandled critical extensions are not checked.
    /// Certificates and bare keys have nothing to verify.
    public func verifyChain() throws(CertificateChainError) {
        guard form == .chain, let leaf = certificates.first else { return }
        let time = leaf.notValidBefore
        guard leaf.notValidAfter >= time else { throw .notValidAtLeafNotBefore(index: 0, time: time) }
        var firstFailure: CertificateChainError?
        var path = [0]
        if try extendPath(&path, at: time, firstFailure: &firstFailure) { return }
        throw firstFailure ?? .unknownAuthority
    }

    /// Depth-first search from the last certificate of `path` towards the root; returns true
    /// once the root (the last certificate of the chain) has been reached.
    private func extendPath(
        _ path: inout [Int], at time: Date, firstFailure: inout CertificateChainError?
    ) throws(CertificateChainError) -> Bool {
        let rootIndex = certificates.count - 1
        let child = certificates[path.last!]
        // Go tries the roots before the intermediates.
        let candidates = [rootIndex] + (1..<rootIndex).filter { !path.contains($0) }
        for index in candidates where certificates[index].subject == child.issuer {
            let issuer = certificates[index]
            guard issuer.publicKey.isValidSignature(child.signature, for: child) else { continue }
            if let failure = try issuerProblem(index: index, intermediatesBelow: path.count - 1, at: time) {
                firstFailure = firstFailure ?? failure
                continue
            }
            if index == rootIndex { return true }
            path.append(index)
            if try extendPath(&path, at: time, firstFailure: &firstFailure) { return true }
            path.removeLast()
        }
        return false
    }

    /// Why certificate `index` may not issue here, or `nil` when it may.
    private func issuerProblem(index: Int, intermediatesBelow: Int, at time: Date) throws(CertificateChainError) -> CertificateChainError? {
        let issuer = certificates[index]
        let basicConstraints: BasicConstraints?
        let keyUsage: KeyUsage?
        do {
            basicConstraints = try issuer.extensions.basicConstraints
            keyUsage = try issuer.extensions.keyUsage
        } catch {
            throw .malformedExtension(index: index, reason: String(describing: error))
        }
        switch basicConstraints {
        case .isCertificateAuthority(let maxPathLength):
            if let maxPathLength, intermediatesBelow > maxPathLength { return .pathLengthExceeded(index: index) }
        case .notCertificateAuthority:
            return .notAuthorizedToSign(index: index)
        case nil:
            if issuer.version == .v3 { return .notAuthorizedToSign(index: index) }
        }
        if let keyUsage, !keyUsage.keyCertSign { return .notAuthorizedToSign(index: index) }
        guard issuer.notValidBefore <= time, time <= issuer.notValidAfter else {
            return .notValidAtLeafNotBefore(index: index, time: time)
        }
        return nil
    }
}
