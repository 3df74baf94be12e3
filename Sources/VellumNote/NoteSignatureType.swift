/// The signature-type byte that starts the key material of a verifier key
/// (`base64(type || key)`), C2SP signed-note, spec §2.1.
///
/// Only the two types Vellum signs with are listed; other registered bytes (`0x04`
/// cosignatures, `0x05` RFC 6962 tree heads, `0x06` ML-DSA, `0xff`) are rejected when parsing
/// keys, and signatures by such keys are simply unknown to `Note.open`.
public enum NoteSignatureType: UInt8, Sendable, Hashable {
    /// Ed25519 over the note text; the key is the 32-byte public key.
    case ed25519 = 0x01
    /// ECDSA over SHA-256 of the note text (ASN.1 DER signature); the key is a DER
    /// SubjectPublicKeyInfo. Vellum supports P-256 only.
    case ecdsa = 0x02
}
