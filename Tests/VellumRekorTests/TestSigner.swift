import CSodium
import Crypto
import Foundation
import SwiftASN1
import VellumRekor
import X509
import _CryptoExtras

/// A freshly generated signing key of any hashedrekord key type, and helpers that build proposed
/// entries signed with it. Signatures are randomized (ECDSA, and RSA blinding aside): tests
/// verify them, never compare their bytes.
struct TestSigner: @unchecked Sendable {
    enum Key {
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case p521(P521.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(seed: [UInt8])
    }

    let key: Key

    static func p256() -> TestSigner { TestSigner(key: .p256(P256.Signing.PrivateKey())) }
    static func p384() -> TestSigner { TestSigner(key: .p384(P384.Signing.PrivateKey())) }
    static func p521() -> TestSigner { TestSigner(key: .p521(P521.Signing.PrivateKey())) }
    static func ed25519() -> TestSigner { TestSigner(key: .ed25519(seed: randomBytes(32))) }

    /// RSA keys are slow to generate (seconds for 4096 bits), so each size is made once.
    static func rsa(bits: Int) -> TestSigner {
        switch bits {
        case 2048: rsa2048
        case 3072: rsa3072
        default: rsa4096
        }
    }

    private static let rsa2048 = TestSigner(key: .rsa(try! _RSA.Signing.PrivateKey(keySize: .bits2048)))
    private static let rsa3072 = TestSigner(key: .rsa(try! _RSA.Signing.PrivateKey(keySize: .bits3072)))
    private static let rsa4096 = TestSigner(key: .rsa(try! _RSA.Signing.PrivateKey(keySize: .bits4096)))

    /// The public key as swift-certificates sees it (for certificates).
    var certificatePublicKey: Certificate.PublicKey {
        switch key {
        case .p256(let key): Certificate.PublicKey(key.publicKey)
        case .p384(let key): Certificate.PublicKey(key.publicKey)
        case .p521(let key): Certificate.PublicKey(key.publicKey)
        case .rsa(let key): Certificate.PublicKey(key.publicKey)
        case .ed25519(let seed): Certificate.PublicKey(try! Curve25519.Signing.PublicKey(rawRepresentation: Self.ed25519PublicKey(seed)))
        }
    }

    /// The key for signing certificates (not available for Ed25519 seeds; tests use ECDSA CAs).
    var certificatePrivateKey: Certificate.PrivateKey {
        switch key {
        case .p256(let key): Certificate.PrivateKey(key)
        case .p384(let key): Certificate.PrivateKey(key)
        case .p521(let key): Certificate.PrivateKey(key)
        case .rsa(let key): Certificate.PrivateKey(key)
        case .ed25519(let seed): Certificate.PrivateKey(try! Curve25519.Signing.PrivateKey(rawRepresentation: seed))
        }
    }

    /// The SPKI as PEM, written by swift-certificates.
    var publicKeyPEM: String {
        try! certificatePublicKey.serializeAsPEM().pemString + "\n"
    }

    /// Signs `digest` (the bytes of a `hash` digest). ECDSA gives DER unless `raw`.
    func sign(_ digest: some Digest, raw: Bool = false) -> [UInt8] {
        switch key {
        case .p256(let key):
            let signature = try! key.signature(for: digest)
            return raw ? Array(signature.rawRepresentation) : Array(signature.derRepresentation)
        case .p384(let key):
            let signature = try! key.signature(for: digest)
            return raw ? Array(signature.rawRepresentation) : Array(signature.derRepresentation)
        case .p521(let key):
            let signature = try! key.signature(for: digest)
            return raw ? Array(signature.rawRepresentation) : Array(signature.derRepresentation)
        case .rsa(let key):
            return Array(try! key.signature(for: digest, padding: .insecurePKCS1v1_5).rawRepresentation)
        case .ed25519:
            preconditionFailure("Ed25519ph signs the message, not its digest: use signPrehashed(message:)")
        }
    }

    /// libsodium's Ed25519ph signature of `message` (it signs the SHA-512 of the message).
    func signPrehashed(message: [UInt8]) -> [UInt8] {
        guard case .ed25519(let seed) = key else { preconditionFailure("not an Ed25519 key") }
        precondition(sodium_init() >= 0)
        var publicKey = [UInt8](repeating: 0, count: 32), secretKey = [UInt8](repeating: 0, count: 64)
        crypto_sign_ed25519_seed_keypair(&publicKey, &secretKey, seed)
        var state = crypto_sign_ed25519ph_state()
        var signature = [UInt8](repeating: 0, count: 64)
        crypto_sign_ed25519ph_init(&state)
        crypto_sign_ed25519ph_update(&state, message, UInt64(message.count))
        crypto_sign_ed25519ph_final_create(&state, &signature, nil, secretKey)
        return signature
    }

    /// A proposed hashedrekord entry over fresh random data, hashed with `hash`, signed by this
    /// key, with `pem` (default: the bare public key) as the key material.
    func entry(hash: HashAlgorithm, raw: Bool = false, pem: String? = nil) -> JSONValue {
        let data = Self.randomBytes(100)
        let (digestHex, signature): (String, [UInt8])
        switch hash {
        case .sha256:
            let digest = SHA256.hash(data: data)
            (digestHex, signature) = (Self.hex(Array(digest)), sign(digest, raw: raw))
        case .sha384:
            let digest = SHA384.hash(data: data)
            (digestHex, signature) = (Self.hex(Array(digest)), sign(digest, raw: raw))
        case .sha512:
            let digest = SHA512.hash(data: data)
            if case .ed25519 = key {
                (digestHex, signature) = (Self.hex(Array(digest)), signPrehashed(message: data))
            } else {
                (digestHex, signature) = (Self.hex(Array(digest)), sign(digest, raw: raw))
            }
        }
        return Self.entry(signature: Base64Text.encode(signature), pem: pem ?? publicKeyPEM,
                          algorithm: hash.rawValue, digestHex: digestHex)
    }

    /// A hashedrekord 0.0.1 proposed entry from its parts (`pem` gets base64-encoded).
    static func entry(signature: String, pem: String, algorithm: String, digestHex: String) -> JSONValue {
        [
            "kind": "hashedrekord",
            "apiVersion": "0.0.1",
            "spec": [
                "signature": ["content": .string(signature), "publicKey": ["content": .string(Base64Text.encode(Array(pem.utf8)))]],
                "data": ["hash": ["algorithm": .string(algorithm), "value": .string(digestHex)]],
            ],
        ]
    }

    static func ed25519PublicKey(_ seed: [UInt8]) -> [UInt8] {
        Array(try! Curve25519.Signing.PrivateKey(rawRepresentation: seed).publicKey.rawRepresentation)
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}

/// Certificates for chain tests, made with swift-certificates.
enum TestCertificates {
    static let now = Date()

    /// A certificate for `subject`'s key, signed by `issuer` (self-signed when `issuer` is nil).
    static func make(
        subject: String, key: TestSigner, issuer: (name: String, key: TestSigner)? = nil, isCA: Bool,
        notBefore: Date = now.addingTimeInterval(-3600), notAfter: Date = now.addingTimeInterval(86400),
        maxPathLength: Int? = nil, sans: [GeneralName] = []
    ) throws -> Certificate {
        let subjectName = try DistinguishedName { CommonName(subject) }
        let issuerName = try issuer.map { name in try DistinguishedName { CommonName(name.name) } } ?? subjectName
        let signingKey = issuer?.key ?? key
        let extensions = try Certificate.Extensions {
            if isCA {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: maxPathLength))
                KeyUsage(keyCertSign: true)
            } else {
                KeyUsage(digitalSignature: true)
            }
            if !sans.isEmpty { SubjectAlternativeNames(sans) }
        }
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.certificatePublicKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: issuerName, subject: subjectName,
            signatureAlgorithm: signatureAlgorithm(for: signingKey), extensions: extensions,
            issuerPrivateKey: signingKey.certificatePrivateKey)
    }

    static func signatureAlgorithm(for signer: TestSigner) -> Certificate.SignatureAlgorithm {
        switch signer.key {
        case .p256: .ecdsaWithSHA256
        case .p384: .ecdsaWithSHA384
        case .p521: .ecdsaWithSHA512
        case .rsa: .sha256WithRSAEncryption
        case .ed25519: .ed25519
        }
    }

    /// PEM of several certificates, concatenated.
    static func pem(_ certificates: [Certificate]) throws -> String {
        try certificates.map { try $0.serializeAsPEM().pemString + "\n" }.joined()
    }
}
