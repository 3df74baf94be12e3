import Crypto
import Testing
import VellumRekor

@Suite struct SignedEntryTimestampTests {
    /// The four fields in JCS order, integers without exponent (rekor-v1.md §2.1).
    @Test func payloadIsCanonicalJSONOfFourFields() {
        let payload = SignedEntryTimestamp.payload(
            body: "eyJhIjoxfQ==", integratedTime: 1_710_888_076,
            logID: "c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d", logIndex: 79_605_083)
        let expected = #"{"body":"eyJhIjoxfQ==","integratedTime":1710888076,"logID":"c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d","logIndex":79605083}"#
        #expect(String(decoding: payload, as: UTF8.self) == expected)
    }

    /// The directly written payload equals the general RFC 8785 serializer's output, across
    /// integer sizes up to 2^53 and bodies whose base64 holds every character class.
    @Test(arguments: [0, 1, 255, 1 << 31, (1 << 53) - 1] as [Int64])
    func payloadMatchesTheCanonicalSerializer(value: Int64) throws {
        let body = "ab+/cd==\u{7f}"
        let direct = SignedEntryTimestamp.payload(body: body, integratedTime: value, logID: "0a", logIndex: value)
        let general: JSONValue = ["body": .string(body), "integratedTime": .number(JSONNumber(value)),
                                  "logID": .string("0a"), "logIndex": .number(JSONNumber(value))]
        #expect(direct == general.canonicalBytes())
    }

    @Test func signsAndVerifies() throws {
        let key = P256.Signing.PrivateKey()
        let payload = SignedEntryTimestamp.payload(body: "e30=", integratedTime: 1, logID: "00", logIndex: 0)
        let signature = try SignedEntryTimestamp.sign(payload: payload, with: key)
        #expect(SignedEntryTimestamp.verify(signature: signature, payload: payload, key: key.publicKey))
        // DER over SHA-256, as Go's ecdsa.VerifyASN1 expects.
        let parsed = try P256.Signing.ECDSASignature(derRepresentation: signature)
        #expect(key.publicKey.isValidSignature(parsed, for: SHA256.hash(data: payload)))
        var tampered = payload
        tampered[tampered.count - 2] ^= 1
        #expect(!SignedEntryTimestamp.verify(signature: signature, payload: tampered, key: key.publicKey))
        #expect(!SignedEntryTimestamp.verify(signature: signature, payload: payload, key: P256.Signing.PrivateKey().publicKey))
        #expect(!SignedEntryTimestamp.verify(signature: [0x30, 0x00], payload: payload, key: key.publicKey))
    }
}
