import CSodium
import Crypto
import Foundation
import Testing
import VellumRekor

/// `Ed25519Verification`: Ed25519ph (RFC 8032 §5.1 with dom2(1, ""), over a SHA-512 digest) from
/// libsodium's group operations, and pure Ed25519 through libsodium, checked against the RFC's
/// vectors, named mutations, and swift-crypto. Test signatures come from libsodium's own signing
/// (Ed25519ph signing takes the message, so the digests here are of random messages).
@Suite struct Ed25519phTests {
    // MARK: RFC 8032 §7.1 and §7.3

    struct PureVector: Sendable, CustomTestStringConvertible {
        let name: String
        let seed: String
        let publicKey: String
        let message: String
        let signature: String
        var testDescription: String { name }
    }

    /// RFC 8032 §7.1, "Test Vectors for Ed25519".
    static let pureVectors: [PureVector] = [
        PureVector(
            name: "TEST 1",
            seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            message: "",
            signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        PureVector(
            name: "TEST 2",
            seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            message: "72",
            signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        PureVector(
            name: "TEST 3",
            seed: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            message: "af82",
            signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
        PureVector(
            name: "TEST 1024",
            seed: "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
            publicKey: "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
            message: message1023,
            signature: "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"
        ),
        PureVector(
            name: "TEST SHA(abc)",
            seed: "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
            publicKey: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            message: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            signature: "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
        ),
    ]

    /// The 1023-byte message of §7.1 "TEST 1024".
    static let message1023 = """
            08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98fa6e264bf09efe12ee50f8f54e9f77b1
            e355f6c50544e23fb1433ddf73be84d879de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d
            658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc1a858efcb8550ee3a5e1998bd177e93a
            7363c344fe6b199ee5d02e82d522c4feba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e
            06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbefefd75499da96bd68a8a97b928a8bbc10
            3b6621fcde2beca1231d206be6cd9ec7aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1
            85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2d17ba70eb6248e594e1a2297acbbb39d
            502f1a8c6eb6f1ce22b3de1a1f40cc24554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270
            88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc2732e69485bbc9c90bfbd62481d9089b
            eccf80cfe2df16a2cf65bd92dd597b0707e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba
            b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51addd3b75a2b1ae0784504df543af8969b
            e3ea7082ff7fc9888c144da2af58429ec96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7
            51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c42f58c30c04aafdb038dda0847dd988d
            cda6f3bfd15c4b4c4525004aa06eeff8ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df
            f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08d78ff4ef5d63653a65040cf9bfd4aca7
            984a74d37145986780fc0b16ac451649de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4
            88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a32ef5b52a1ecc820e308aa342721aac09
            43bf6686b64b2579376504ccc493d97e6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f
            b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b50d334ba77c225bc307ba537152f3f161
            0e4eafe595f6d9d90d11faa933a15ef1369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d
            b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c0618983f8741c5ef68d3a101e8a3b8ca
            c60c905c15fc910840b94c00a0b9d0
        """.filter { !$0.isWhitespace }

    @Test(arguments: pureVectors)
    func pureVectorMatchesRFC(_ vector: PureVector) throws {
        let seed = Self.bytes(vector.seed)
        let publicKey = Self.bytes(vector.publicKey)
        let message = Self.bytes(vector.message)
        let signature = Self.bytes(vector.signature)
        #expect(Self.publicKey(seed: seed) == publicKey)
        // Signing is deterministic (§5.1.6), so the RFC's bytes must come out exactly.
        #expect(Self.signPure(seed: seed, message: message) == signature)
        #expect(Self.verifyPure(message: message, publicKey: publicKey, signature: signature))
    }

    @Test func messageOfTest1024HasItsLength() {
        #expect(Self.bytes(Self.message1023).count == 1023)
    }

    /// RFC 8032 §7.3, "Test Vectors for Ed25519ph", TEST abc: the message is "abc", so PH(M) is its
    /// SHA-512 digest, which is all that our API ever sees.
    static let abcSeed = bytes("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42")
    static let abcPublicKey = bytes("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf")
    static let abcSignature = bytes(
        "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406"
    )
    static var abcDigest: [UInt8] { Array(SHA512.hash(data: Array("abc".utf8))) }

    @Test func ed25519phVectorAbcMatchesRFC() {
        #expect(Self.publicKey(seed: Self.abcSeed) == Self.abcPublicKey)
        #expect(Self.signPh(seed: Self.abcSeed, message: Array("abc".utf8)).signature == Self.abcSignature)
        #expect(Self.verifyPh(publicKey: Self.abcPublicKey, digest: Self.abcDigest, signature: Self.abcSignature))
    }

    /// The dom2 prefix separates the variants: neither signature verifies as the other.
    @Test func variantsDoNotCrossVerify() {
        let digest = Self.abcDigest
        #expect(!Self.verifyPure(message: digest, publicKey: Self.abcPublicKey, signature: Self.abcSignature))
        let pure = Self.signPure(seed: Self.abcSeed, message: digest)
        #expect(Self.verifyPure(message: digest, publicKey: Self.abcPublicKey, signature: pure))
        #expect(!Self.verifyPh(publicKey: Self.abcPublicKey, digest: digest, signature: pure))
    }

    // MARK: Round trips and named mutations

    @Test func signVerifyRoundTripsOverRandomDigests() {
        for _ in 0..<50 {
            let seed = Self.random(32)
            let (digest, signature) = Self.signPh(seed: seed, message: Self.random(Int.random(in: 0...200)))
            let publicKey = Self.publicKey(seed: seed)
            #expect(
                Self.verifyPh(publicKey: publicKey, digest: digest, signature: signature),
                "seed \(Self.hex(seed)) digest \(Self.hex(digest))"
            )
        }
    }

    /// L, the order of the base point (RFC 8032 §5.1), little-endian.
    static let order = bytes("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010")

    /// One way to break a valid (public key, digest, signature) triple; each must be rejected.
    enum Mutation: String, CaseIterable, Sendable {
        case flippedBitInR = "flipped-bit-in-R"
        case flippedBitInS = "flipped-bit-in-S"
        /// S + L satisfies the same group equation, so only the canonical-S check (§5.1.7) stops it.
        case sPlusL = "S+L"
        case wrongDigest = "wrong-digest"
        case wrongKey = "wrong-key"
        /// y = 2 has no x on the curve (§5.1.3 step 3 finds no square root).
        case keyNotOnCurve = "key-not-on-curve"
        case allZeroSignature = "all-zero-signature"
        /// A = R = identity and S = 0 satisfy [S]B = R + [k]A for every digest; only the small-order
        /// check stops this universal forgery.
        case identityKeyAndR = "identity-key-and-R"
        /// The identity again, with the key's y encoded as p + 1 (non-canonical, §5.1.3 step 1).
        case nonCanonicalIdentityKey = "non-canonical-identity-key"
        /// x = 0 with the sign bit set (§5.1.3 step 4), again with R = identity, S = 0.
        case identityKeyWithSignBit = "identity-key-with-sign-bit"
        /// The ph signature checked as a pure signature over the digest bytes: dom2 must make it fail.
        case pureVerificationOfPhSignature = "pure-verification-of-ph-signature"
    }

    @Test(arguments: Mutation.allCases)
    func rejects(_ mutation: Mutation) {
        let seed = Self.random(32)
        var (digest, signature) = Self.signPh(seed: seed, message: Self.random(100))
        var publicKey = Self.publicKey(seed: seed)
        var checkedDigest = digest
        #expect(Self.verifyPh(publicKey: publicKey, digest: digest, signature: signature))

        let identity = [UInt8(1)] + [UInt8](repeating: 0, count: 31)
        let identitySignature = identity + [UInt8](repeating: 0, count: 32)
        switch mutation {
        case .flippedBitInR:
            signature[Int.random(in: 0..<32)] ^= 1 << UInt8.random(in: 0..<8)
        case .flippedBitInS:
            signature[Int.random(in: 32..<64)] ^= 1 << UInt8.random(in: 0..<8)
        case .sPlusL:
            var carry = 0
            for i in 0..<32 {
                let sum = Int(signature[32 + i]) + Int(Self.order[i]) + carry
                signature[32 + i] = UInt8(sum & 0xff)
                carry = sum >> 8
            }
            #expect(carry == 0, "S < L < 2^253, so S + L still fits 32 bytes")
        case .wrongDigest:
            checkedDigest[Int.random(in: 0..<64)] ^= 1 << UInt8.random(in: 0..<8)
        case .wrongKey:
            publicKey = Self.publicKey(seed: Self.random(32))
        case .keyNotOnCurve:
            publicKey = [2] + [UInt8](repeating: 0, count: 31)
        case .allZeroSignature:
            signature = [UInt8](repeating: 0, count: 64)
        case .identityKeyAndR:
            publicKey = identity
            signature = identitySignature
        case .nonCanonicalIdentityKey:
            publicKey = [0xee] + [UInt8](repeating: 0xff, count: 30) + [0x7f]
            signature = identitySignature
        case .identityKeyWithSignBit:
            publicKey = identity
            publicKey[31] |= 0x80
            signature = identitySignature
        case .pureVerificationOfPhSignature:
            #expect(!Self.verifyPure(message: digest, publicKey: publicKey, signature: signature))
            return
        }
        #expect(!Self.verifyPh(publicKey: publicKey, digest: checkedDigest, signature: signature), "\(mutation.rawValue)")
    }

    // MARK: Cross-check against swift-crypto

    /// libsodium and swift-crypto (BoringSSL) agree in both directions on many random keys.
    /// Signatures are verified, never compared: CryptoKit's are randomized on Apple platforms.
    @Test func agreesWithSwiftCryptoOnRandomKeys() throws {
        for round in 0..<200 {
            let seed = Self.random(32)
            let message = Self.random(Int.random(in: 0...300))
            let theirKey = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
            let context = "round \(round) seed \(Self.hex(seed)) message \(Self.hex(message))"

            let ourPublicKey = Self.publicKey(seed: seed)
            #expect(ourPublicKey == Array(theirKey.publicKey.rawRepresentation), "\(context)")

            let theirSignature = Array(try theirKey.signature(for: message))
            #expect(Self.verifyPure(message: message, publicKey: ourPublicKey, signature: theirSignature), "\(context)")

            let ourSignature = Self.signPure(seed: seed, message: message)
            #expect(theirKey.publicKey.isValidSignature(ourSignature, for: message), "\(context)")
        }
    }

    // MARK: Helpers (members, so they cannot clash with other files' helpers)

    static func publicKey(seed: [UInt8]) -> [UInt8] {
        precondition(sodium_init() >= 0)
        var publicKey = [UInt8](repeating: 0, count: 32), secretKey = [UInt8](repeating: 0, count: 64)
        crypto_sign_ed25519_seed_keypair(&publicKey, &secretKey, seed)
        return publicKey
    }

    static func secretKey(seed: [UInt8]) -> [UInt8] {
        precondition(sodium_init() >= 0)
        var publicKey = [UInt8](repeating: 0, count: 32), secretKey = [UInt8](repeating: 0, count: 64)
        crypto_sign_ed25519_seed_keypair(&publicKey, &secretKey, seed)
        return secretKey
    }

    /// libsodium's Ed25519ph signature of `message`, with the SHA-512 digest it signs.
    static func signPh(seed: [UInt8], message: [UInt8]) -> (digest: [UInt8], signature: [UInt8]) {
        var state = crypto_sign_ed25519ph_state()
        var signature = [UInt8](repeating: 0, count: 64)
        crypto_sign_ed25519ph_init(&state)
        crypto_sign_ed25519ph_update(&state, message, UInt64(message.count))
        crypto_sign_ed25519ph_final_create(&state, &signature, nil, secretKey(seed: seed))
        return (Array(SHA512.hash(data: message)), signature)
    }

    static func verifyPh(publicKey: [UInt8], digest: [UInt8], signature: [UInt8]) -> Bool {
        precondition(publicKey.count == 32 && digest.count == 64 && signature.count == 64)
        return Ed25519Verification.verifyPrehashed(signature: signature, digest: digest, publicKey: publicKey)
    }

    static func signPure(seed: [UInt8], message: [UInt8]) -> [UInt8] {
        var signature = [UInt8](repeating: 0, count: 64)
        crypto_sign_ed25519_detached(&signature, nil, message, UInt64(message.count), secretKey(seed: seed))
        return signature
    }

    static func verifyPure(message: [UInt8], publicKey: [UInt8], signature: [UInt8]) -> Bool {
        precondition(publicKey.count == 32 && signature.count == 64)
        return Ed25519Verification.verify(signature: signature, message: message, publicKey: publicKey)
    }

    static func random(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max) }
    }

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        precondition(digits.count % 2 == 0, "odd-length hex")
        return stride(from: 0, to: digits.count, by: 2).map { i in
            UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16)!
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
