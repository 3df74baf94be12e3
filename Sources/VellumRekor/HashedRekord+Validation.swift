extension HashedRekord {
    /// Validates a hashedrekord 0.0.1 `spec` in Rekor's order (rekor-v1.md §5.2; Rekor's
    /// `DecodeEntry`, schema `Validate`, `validate()`, then the create handler's algorithm
    /// check):
    ///
    /// 1. base64 of `signature.content`, then of `publicKey.content` (canonical padded base64;
    ///    Go also skips line breaks and ignores non-zero padding bits, we do not);
    /// 2. the schema: `data` with `hash.algorithm` in {sha256, sha384, sha512} and `hash.value`,
    ///    and `signature` are required (members of the wrong JSON type count as absent, as in
    ///    Rekor's decoder);
    /// 3. the public key: PEM `PUBLIC KEY`, `CERTIFICATE`, or a chain of ≤ 10 certificates;
    /// 4. the digest: exactly as many hex characters as the algorithm needs, all hex;
    /// 5. the signature: non-empty; chain verified (``PublicKeyContent/verifyChain()``); then
    ///    ECDSA (DER or r‖s), RSA PKCS#1 v1.5 or Ed25519ph over the digest;
    /// 6. the key/digest pair against the allowed matrix (``KeyAlgorithm/isAllowed(with:)``),
    ///    skipped when `checkingAlgorithms` is false — Rekor checks it on create only, not
    ///    when canonicalizing the entries of a search.
    public init(spec: JSONValue, checkingAlgorithms: Bool = true) throws(RekorEntryError) {
        guard case .object = spec else { throw .specNotObject(got: spec.typeName) }
        let signatureObject = spec["signature"]?.objectValue
        let publicKeyObject = signatureObject?["publicKey"]?.objectValue
        let hashObject = spec["data"]?["hash"]?.objectValue

        // 1. Base64 (Rekor decodes while reading the spec, before anything else).
        let signature = try Self.decodeContent(signatureObject?["content"], field: .signature)
        let keyContent = try Self.decodeContent(publicKeyObject?["content"], field: .publicKey)

        // 2. Schema.
        let algorithmText = hashObject?["algorithm"]?.stringValue
        let hashValue = hashObject?["value"]?.stringValue
        var violations: [RekorEntryError.SchemaViolation] = []
        if hashObject == nil {
            violations.append(.required(path: "data"))
        } else {
            if let algorithmText {
                if HashAlgorithm(rawValue: algorithmText) == nil {
                    violations.append(.notInEnum(path: "data.hash.algorithm", got: algorithmText,
                                                 allowed: HashAlgorithm.allCases.map(\.rawValue)))
                }
            } else {
                violations.append(.required(path: "data.hash.algorithm"))
            }
            if hashValue == nil { violations.append(.required(path: "data.hash.value")) }
        }
        if signatureObject == nil { violations.append(.required(path: "signature")) }
        guard violations.isEmpty, let algorithmText, let hashAlgorithm = HashAlgorithm(rawValue: algorithmText),
              let hashValue
        else { throw .schemaViolations(violations) }

        // 3. Public key.
        guard publicKeyObject != nil else { throw .missingPublicKey }
        let publicKey: PublicKeyContent
        do {
            publicKey = try PublicKeyContent(pem: keyContent ?? [])
        } catch {
            throw .publicKey(error)
        }

        // 4. Digest.
        let digest = try Self.decodeDigest(hashValue, algorithm: hashAlgorithm)

        // 5. Signature.
        guard let signature, !signature.isEmpty else { throw .signature(.empty) }
        do {
            try publicKey.verifyChain()
        } catch {
            throw .chain(error)
        }
        guard let verifyingKey = VerifyingKey(publicKey.publicKey) else {
            throw .signature(.unsupportedKeyType)
        }
        let keyAlgorithm = verifyingKey.algorithm
        do {
            try DigestSignature.verify(signature: signature, digest: digest, hash: hashAlgorithm,
                                       key: verifyingKey)
        } catch {
            throw .signature(error)
        }

        // 6. Algorithm policy.
        if checkingAlgorithms && !keyAlgorithm.isAllowed(with: hashAlgorithm) {
            throw .algorithmNotAllowed(key: keyAlgorithm, hash: hashAlgorithm)
        }
        self.init(signature: signature, publicKey: publicKey, keyAlgorithm: keyAlgorithm,
                  hashAlgorithm: hashAlgorithm, hashValue: hashValue, digest: digest)
    }

    /// A `content` member: absent, non-string or empty means "not given" (as in Rekor's decoder);
    /// otherwise canonical padded base64.
    private static func decodeContent(_ value: JSONValue?, field: RekorEntryError.ContentField) throws(RekorEntryError) -> [UInt8]? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        switch Base64.decode(Array(text.utf8), mode: .canonical) {
        case .success(let bytes): return bytes
        case .failure(let error): throw .invalidBase64(field: field, offset: error.offset)
        }
    }

    /// `hash.value` as bytes: the length (in bytes, as Go counts) must match the algorithm,
    /// then every character must be a hex digit of either case.
    private static func decodeDigest(_ text: String, algorithm: HashAlgorithm) throws(RekorEntryError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count == algorithm.hexLength else { throw .hashLength(algorithm: algorithm, got: utf8.count) }
        var digest: [UInt8] = []
        digest.reserveCapacity(algorithm.byteCount)
        for index in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = hexValue(utf8[index]) else { throw .hashNotHex(invalid: Unicode.Scalar(utf8[index])) }
            guard let low = hexValue(utf8[index + 1]) else { throw .hashNotHex(invalid: Unicode.Scalar(utf8[index + 1])) }
            digest.append(high << 4 | low)
        }
        return digest
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
