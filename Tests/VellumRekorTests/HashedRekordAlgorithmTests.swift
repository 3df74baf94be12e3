import Testing
import VellumRekor

/// The key/digest matrix of rekor-v1.md §5.2 step 5 with freshly generated signatures: every
/// allowed pair is logged, every other pair is refused with Rekor's message, although its
/// signature is valid (Rekor verifies first, then checks the pair).
@Suite struct HashedRekordAlgorithmTests {
    static func signer(_ name: String) -> TestSigner {
        switch name {
        case "p256": .p256()
        case "p384": .p384()
        case "p521": .p521()
        case "rsa2048": .rsa(bits: 2048)
        case "rsa3072": .rsa(bits: 3072)
        default: .rsa(bits: 4096)
        }
    }

    @Test(arguments: [
        ("p256", HashAlgorithm.sha256, false), ("p256", .sha256, true),
        ("p384", .sha384, false), ("p384", .sha384, true),
        ("p521", .sha512, false), ("p521", .sha512, true),
        ("rsa2048", .sha256, false), ("rsa3072", .sha256, false), ("rsa4096", .sha256, false),
    ])
    func acceptsAllowedPair(key: String, hash: HashAlgorithm, rawECDSA: Bool) throws {
        let entry = Self.signer(key).entry(hash: hash, raw: rawECDSA)
        let canonical = try ProposedEntry.canonicalize(entry)
        let body = try JSONValue.parse(canonical.body)
        #expect(body["spec"]?["data"]?["hash"]?["algorithm"] == .string(hash.rawValue))
        // The signature is logged as sent (DER stays DER, r‖s stays r‖s).
        #expect(body["spec"]?["signature"]?["content"] == entry["spec"]?["signature"]?["content"])
    }

    @Test(arguments: [
        ("p256", HashAlgorithm.sha384, KeyAlgorithm.ecdsaP256), ("p256", .sha512, .ecdsaP256),
        ("p384", .sha256, .ecdsaP384), ("p384", .sha512, .ecdsaP384),
        ("p521", .sha256, .ecdsaP521), ("p521", .sha384, .ecdsaP521),
        ("rsa2048", .sha384, .rsa(bits: 2048)), ("rsa2048", .sha512, .rsa(bits: 2048)),
        ("rsa3072", .sha384, .rsa(bits: 3072)), ("rsa4096", .sha512, .rsa(bits: 4096)),
    ])
    func refusesOtherPairs(key: String, hash: HashAlgorithm, keyAlgorithm: KeyAlgorithm) throws {
        let entry = Self.signer(key).entry(hash: hash)
        let error = #expect(throws: RekorEntryError.self) { try ProposedEntry.canonicalize(entry) }
        #expect(error == .algorithmNotAllowed(key: keyAlgorithm, hash: hash))
        #expect(error?.apiError == RekorAPIError(status: 400, message: "error processing entry: entry algorithms are not allowed"))
        // A search canonicalizes without the matrix, as Rekor's searchLogQuery does.
        _ = try ProposedEntry.canonicalize(entry, checkingAlgorithms: false)
    }

    @Test func matrixIsExactlyRekorsDefault() {
        let allowed: [(KeyAlgorithm, HashAlgorithm)] = [
            (.ecdsaP256, .sha256), (.ecdsaP384, .sha384), (.ecdsaP521, .sha512), (.ed25519, .sha512),
            (.rsa(bits: 2048), .sha256), (.rsa(bits: 3072), .sha256), (.rsa(bits: 4096), .sha256),
        ]
        let keys: [KeyAlgorithm] = [.ecdsaP256, .ecdsaP384, .ecdsaP521, .ed25519,
                                    .rsa(bits: 2048), .rsa(bits: 3072), .rsa(bits: 4096), .rsa(bits: 1024), .rsa(bits: 8192)]
        for key in keys {
            for hash in HashAlgorithm.allCases {
                let expected = allowed.contains { $0.0 == key && $0.1 == hash }
                #expect(key.isAllowed(with: hash) == expected, "\(key) + \(hash)")
            }
        }
    }
}
