/// Signature checks on logged material, for verifiers reading receipts (`vellum verify`), with
/// the same rules the log applied on upload.
extension PublicKeyContent {
    /// Verifies `signature` over a client's `digest` (hashedrekord): ECDSA in DER or r‖s, RSA
    /// PKCS#1 v1.5, Ed25519ph. Throws what is wrong.
    public func verify(signature: [UInt8], digest: [UInt8], hash: HashAlgorithm) throws(SignatureError) {
        guard let key = VerifyingKey(publicKey) else { throw .unsupportedKeyType }
        try DigestSignature.verify(signature: signature, digest: digest, hash: hash, key: key)
    }

    /// Whether `signature` verifies over the DSSE PAE of `payload` (dsse, intoto).
    public func verifyDSSE(signature: [UInt8], payloadType: String, payload: [UInt8]) -> Bool {
        guard let key = VerifyingKey(publicKey) else { return false }
        return DSSEVerification.verify(signature: signature, message: DSSEEnvelope.pae(payloadType: payloadType, payload: payload), key: key)
    }
}
