import Crypto

/// Rekor's `verifyEnvelope` for dsse 0.0.1 and intoto 0.0.2 (dsse-intoto.md §2.1 step 6, §2.2
/// step 5): which key verifies which signature of an envelope.
enum DSSEVerification {
    /// One verifier as the client listed it: the decoded PEM bytes.
    struct Verifier {
        let pem: [UInt8]
    }

    /// What verified what: each signature string with the key material that verified it, and
    /// every verifier that was parsed, in request order.
    struct Matches {
        var bySignature: [String: PublicKeyContent] = [:]
        var parsed: [PublicKeyContent] = []
    }

    /// Matches `verifiers` to the envelope's signatures (by their `sig` strings), in request
    /// order. Each verifier is checked against the whole envelope as go-securesystemslib's
    /// `VerifyAndDecode` with one key and a threshold of one does: the payload decodes first,
    /// then the signatures in envelope order until one verifies (each `sig` must decode, or the
    /// whole check fails). A verifier that verifies none is fatal. With `stopWhenAllVerified`
    /// (dsse), verifiers after the point where every signature has a key are not even parsed;
    /// intoto 0.0.2 checks them all. Every signature needs a key.
    static func match(envelope: DSSEEnvelope, verifiers: [Verifier], stopWhenAllVerified: Bool,
                      keyIDMustMatch: Bool = false) throws(RekorEntryError) -> Matches {
        var unverified = Set(envelope.signatures.map(\.sig))
        var matches = Matches()
        for verifier in verifiers {
            if stopWhenAllVerified && unverified.isEmpty { break }
            let publicKey: PublicKeyContent
            do {
                publicKey = try PublicKeyContent(pem: verifier.pem)
            } catch {
                throw .verifierKey(error)
            }
            guard let key = VerifyingKey(publicKey.publicKey) else { throw .verifierKeyType }
            let accepted = try firstVerified(envelope: envelope, key: key,
                                             keyID: keyIDMustMatch ? SSHFingerprint.sha256(of: key) : nil)
            unverified.remove(accepted)
            matches.bySignature[accepted] = publicKey
            matches.parsed.append(publicKey)
        }
        guard unverified.isEmpty else { throw .signaturesWithoutKey }
        return matches
    }

    /// The first signature (in envelope order) that `key` verifies over the PAE.
    /// - Parameter keyID: when set (intoto 0.0.1), signatures with another non-empty `keyid`
    ///   are skipped, as sigstore's DSSE verifier skips them.
    static func firstVerified(envelope: DSSEEnvelope, key: VerifyingKey, keyID: String?) throws(RekorEntryError) -> String {
        guard let payload = envelope.decodedPayload else { throw .envelopeNotVerified(Self.badBase64) }
        let pae = DSSEEnvelope.pae(payloadType: envelope.payloadType, payload: payload)
        for signature in envelope.signatures {
            guard let bytes = DSSEEnvelope.decodeStdOrURL(signature.sig) else {
                throw .envelopeNotVerified(Self.badBase64)
            }
            if let keyID, !signature.keyID.isEmpty, signature.keyID != keyID { continue }
            if verify(signature: bytes, message: pae, key: key) { return signature.sig }
        }
        throw .envelopeNotVerified("accepted signatures do not match threshold, Found: 0, Expected 1")
    }

    /// go-securesystemslib's words for a payload or signature that is not base64.
    static let badBase64 = "unable to base64 decode payload (is payload in the right format?)"

    /// Whether `signature` by `key` verifies over `message` as sigstore's verifiers check a DSSE
    /// PAE: ECDSA on any curve over its SHA-256 (DER, or r‖s), RSA PKCS#1 v1.5 with SHA-256,
    /// pure Ed25519 over the message itself (through libsodium).
    static func verify(signature: [UInt8], message: [UInt8], key: VerifyingKey) -> Bool {
        if case .ed25519(let ed25519) = key {
            // libsodium: 21.5 k verifications/s against swift-crypto's 15.8 k in the same run
            // (`scripts/bench merkle`, docs/PERFORMANCE.md).
            return Ed25519Verification.verify(signature: signature, message: message,
                                              publicKey: Array(ed25519.rawRepresentation))
        }
        guard !signature.isEmpty else { return false }
        let digest = Array(SHA256.hash(data: message))
        return (try? DigestSignature.verify(signature: signature, digest: digest, hash: .sha256, key: key)) != nil
    }
}
