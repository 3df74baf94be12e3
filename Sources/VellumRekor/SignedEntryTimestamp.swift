import Crypto

/// The Signed Entry Timestamp (SET) of a LogEntry: the log's promise to include the entry
/// (rekor-v1.md §2.1).
///
/// The signed payload is the RFC 8785 canonical JSON of exactly four fields, in JCS key order
/// `{"body":…,"integratedTime":…,"logID":…,"logIndex":…}`; the signature is ECDSA P-256, ASN.1
/// DER, over SHA-256 of the payload, made with the key whose SPKI hash is `logID`. Verifiers:
/// sigstore-python, sigstore-go/cosign (ECDSA only).
public enum SignedEntryTimestamp {
    /// The payload to sign: `body` is the base64 string exactly as in the LogEntry, `logIndex`
    /// the global (virtual) index, not the shard-local one.
    public static func payload(body base64: String, integratedTime: Int64, logID: String, logIndex: Int64) -> [UInt8] {
        // Written directly, keys already in JCS order: for integers below 2^53 (every index
        // and time a log reaches) this is byte-identical to the canonical form, which a test
        // checks against `JSONValue.canonicalBytes()`.
        var writer = JSONWriter(capacity: base64.utf8.count + 160)
        writer.beginObject()
        writer.key("body"); writer.string(base64)
        writer.key("integratedTime"); writer.integer(integratedTime)
        writer.key("logID"); writer.string(logID)
        writer.key("logIndex"); writer.integer(logIndex)
        writer.endObject()
        return writer.bytes
    }

    /// Signs `payload`: ECDSA P-256 over SHA-256(payload), DER-encoded. Signatures are
    /// randomized, so two calls give different bytes; both verify.
    public static func sign(payload: [UInt8], with key: P256.Signing.PrivateKey) throws -> [UInt8] {
        Array(try key.signature(for: payload).derRepresentation)
    }

    /// True when `signature` (DER) is a valid SET signature over `payload` by `key`.
    public static func verify(signature: [UInt8], payload: [UInt8], key: P256.Signing.PublicKey) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: payload)
    }
}
