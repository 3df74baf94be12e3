import Crypto
import SwiftASN1
import X509

/// The verification material of a hashedrekord entry, parsed from the decoded
/// `spec.signature.publicKey.content`: a bare key, one certificate, or a certificate chain
/// (rekor-v1.md §5.2 step 2), with its canonical PEM (§5.3).
public struct PublicKeyContent: Sendable {
    /// Which of the three accepted shapes the content had.
    public enum Form: Sendable, Equatable {
        /// One `PUBLIC KEY` block (PKIX SubjectPublicKeyInfo).
        case publicKey
        /// One `CERTIFICATE` block.
        case certificate
        /// Two or more `CERTIFICATE` blocks: leaf first, the last one trusted as root.
        case chain
    }

    /// At most this many certificates in a chain (Rekor's `UnmarshalCertificatesFromPEMLimited`).
    public static let maxChainLength = 10

    public let form: Form
    /// The certificates, leaf first; empty for ``Form/publicKey``.
    public let certificates: [Certificate]
    /// The signing key: the bare key, or the leaf certificate's key.
    public let publicKey: Certificate.PublicKey
    /// The PEM that is logged: re-encoded from the DER with 64-column lines and a final newline;
    /// for a chain, the blocks concatenated. Headers and surrounding text are dropped.
    public let canonicalPEM: [UInt8]
    /// The DER of the first block as sent: the SubjectPublicKeyInfo of a bare key, or the leaf
    /// certificate (fingerprints hash these bytes; re-serializing a parsed key costs more than
    /// parsing it).
    public let firstDER: [UInt8]

    /// Parses PEM content the way Rekor's `x509.NewPublicKey` does: whitespace trimmed, then the
    /// first PEM block; anything after it makes the content a chain of up to 10 certificates.
    public init(pem content: [UInt8]) throws(PublicKeyError) {
        let trimmed = PEM.trimSpace(content)
        guard let (first, rest) = PEM.decodeFirst(trimmed) else { throw .noPEMBlock }
        if !rest.isEmpty {
            let (certificates, pem) = try Self.parseChain(trimmed)
            self.init(form: .chain, certificates: certificates, publicKey: certificates[0].publicKey, canonicalPEM: pem,
                      firstDER: Array(first.der))
            return
        }
        switch first.label {
        case "PUBLIC KEY":
            let key = try Self.parseSubjectPublicKeyInfo(first.der)
            self.init(form: .publicKey, certificates: [], publicKey: key,
                      canonicalPEM: PEM.encode(label: "PUBLIC KEY", der: first.der), firstDER: Array(first.der))
        case "CERTIFICATE":
            let certificate = try Self.parseCertificate(first.der, index: 0)
            self.init(form: .certificate, certificates: [certificate], publicKey: certificate.publicKey,
                      canonicalPEM: PEM.encode(label: "CERTIFICATE", der: first.der), firstDER: Array(first.der))
        default:
            throw .unsupportedPEMType(label: first.label)
        }
    }

    private init(form: Form, certificates: [Certificate], publicKey: Certificate.PublicKey, canonicalPEM: [UInt8], firstDER: [UInt8]) {
        self.firstDER = firstDER
        self.form = form
        self.certificates = certificates
        self.publicKey = publicKey
        self.canonicalPEM = canonicalPEM
    }

    /// Every block must be a certificate; text between blocks is skipped as `pem.Decode` does,
    /// but text after the last block is an error. Returns the certificates and their PEM.
    private static func parseChain(_ trimmed: ArraySlice<UInt8>) throws(PublicKeyError) -> ([Certificate], [UInt8]) {
        var certificates: [Certificate] = []
        var pem: [UInt8] = []
        var remaining = trimmed
        while !remaining.isEmpty {
            guard certificates.count < maxChainLength else { throw .tooManyCertificates(limit: maxChainLength) }
            guard let (block, rest) = PEM.decodeFirst(remaining) else { throw .chainNotPEM }
            guard block.label == "CERTIFICATE" else {
                throw .chainBlockNotCertificate(index: certificates.count, label: block.label)
            }
            certificates.append(try parseCertificate(block.der, index: certificates.count))
            pem += PEM.encode(label: "CERTIFICATE", der: block.der)
            remaining = PEM.trimSpace(Array(rest))
        }
        return (certificates, pem)
    }

    /// The leaf certificate, if any.
    public var leaf: Certificate? { certificates.first }

    /// `hex(SHA-256(canonical PEM))`: the index key of this key material (rekor-v1.md §5.3, §8).
    public var canonicalPEMHash: String {
        Array(SHA256.hash(data: canonicalPEM)).hexString
    }

    /// Parses an SPKI and insists that re-encoding gives the same bytes: Go re-marshals the key
    /// (`MarshalPKIXPublicKey`) before logging it, and for every SPKI that Go's strict parser
    /// accepts (uncompressed EC points, RSA with NULL parameters) that equals the input. What we
    /// cannot re-encode identically we refuse rather than log something the client did not send.
    private static func parseSubjectPublicKeyInfo(_ der: [UInt8]) throws(PublicKeyError) -> Certificate.PublicKey {
        let key: Certificate.PublicKey
        do {
            key = try Certificate.PublicKey(derEncoded: der)
        } catch {
            throw .malformedPublicKey(reason: String(describing: error))
        }
        if hasCanonicalP256Layout(der) { return key }
        var serializer = DER.Serializer()
        do {
            try serializer.serialize(key)
        } catch {
            throw .malformedPublicKey(reason: String(describing: error))
        }
        guard serializer.serializedBytes == der else {
            throw .malformedPublicKey(reason: "non-canonical encoding (compressed point or non-DER)")
        }
        return key
    }

    /// The first 27 bytes of every P-256 SPKI that Go's `MarshalPKIXPublicKey` writes: the
    /// SEQUENCE headers, id-ecPublicKey, prime256v1, the BIT STRING header with no unused bits,
    /// and 0x04 (an uncompressed point). The 64 bytes of X and Y follow.
    static let canonicalP256Prefix: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A,
        0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
    ]

    /// Whether `der` is laid out byte for byte as Go writes a P-256 key. For such a `der` that
    /// parses, re-encoding the key gives the same bytes (X and Y are fixed-width and the
    /// parser checked the point), so the re-encoding, ~6 µs of an upload's CPU through
    /// BoringSSL, can be skipped for the most common key there is.
    static func hasCanonicalP256Layout(_ der: [UInt8]) -> Bool {
        der.count == canonicalP256Prefix.count + 64 && der.starts(with: canonicalP256Prefix)
    }

    private static func parseCertificate(_ der: [UInt8], index: Int) throws(PublicKeyError) -> Certificate {
        do {
            return try Certificate(derEncoded: der)
        } catch {
            throw .malformedCertificate(index: index, reason: String(describing: error))
        }
    }
}
