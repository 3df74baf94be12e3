import Foundation

/// Why a proposed entry was refused, one case per rule (rekor-v1.md §1.4, §5.2), in the order
/// Rekor checks them. ``apiError`` gives the status and message Rekor would answer with.
public enum RekorEntryError: Error, Sendable, Equatable {
    // MARK: The request body and the ProposedEntry envelope (go-openapi, before the handler)

    /// The body is not JSON.
    case malformedJSON(JSONParseError)
    /// The body is JSON but not an object.
    case notAnObject(got: String)
    /// `kind` or `apiVersion` has the wrong JSON type.
    case fieldType(field: String, want: String, got: String)
    /// `kind` is absent or empty. 422, code 602.
    case missingKind
    /// `kind` names no Rekor type. 422, code 422.
    case unknownKind(String)
    /// `apiVersion` is absent. 422, code 602.
    case missingAPIVersion
    /// `apiVersion` is not a semantic version. 422, code 605.
    case apiVersionPattern(String)
    /// `spec` is absent or null. 422, code 602.
    case missingSpec

    // MARK: Kind and version dispatch (the handler)

    /// A Rekor kind this server does not accept (all but hashedrekord, dsse and intoto).
    case kindNotEnabled(String)
    /// A version of an accepted kind that this server does not implement.
    case unsupportedAPIVersion(kind: String, version: String)

    // MARK: hashedrekord 0.0.1 (rekor-v1.md §5.2)

    /// `spec` is not an object.
    case specNotObject(got: String)
    /// `signature.content` or `publicKey.content` is not canonical padded base64; `offset` is
    /// the first offending character.
    case invalidBase64(field: ContentField, offset: Int)
    /// Required members missing or out of their enum (the hashedrekord JSON schema).
    case schemaViolations([SchemaViolation])
    /// `signature.publicKey` is absent.
    case missingPublicKey
    /// `publicKey.content` is not usable key material.
    case publicKey(PublicKeyError)
    /// `hash.value` has `got` characters; `algorithm` needs `algorithm.hexLength`.
    case hashLength(algorithm: HashAlgorithm, got: Int)
    /// `hash.value` contains a non-hex character.
    case hashNotHex(invalid: Unicode.Scalar)
    /// The certificate chain does not verify.
    case chain(CertificateChainError)
    /// The signature does not verify over the digest.
    case signature(SignatureError)
    /// The key and digest algorithms are not an allowed pair (§5.2 step 5).
    case algorithmNotAllowed(key: KeyAlgorithm, hash: HashAlgorithm)

    // MARK: dsse 0.0.1, intoto 0.0.2 and 0.0.1 (dsse-intoto.md §2)

    /// dsse: neither proposed content nor all three committed hashes (`both` false), or both.
    case dsseContentOrHashes(both: Bool)
    /// dsse: only the committed hashes, which a new entry cannot be.
    case missingProposedContent
    /// The envelope text is not the JSON of a DSSE envelope (Go's unmarshal error).
    case envelopeJSON(String)
    /// The envelope has no signatures.
    case envelopeWithoutSignatures
    /// A verifier is not usable key material.
    case verifierKey(PublicKeyError)
    /// A verifier's key is of a type no DSSE verifier handles.
    case verifierKeyType
    /// A verifier verified none of the signatures, or the envelope did not decode.
    case envelopeNotVerified(String)
    /// A signature that no verifier verified.
    case signaturesWithoutKey
    /// intoto: no payload, or a signature without `sig` or `publicKey`.
    case missingEnvelopeContent
    /// intoto 0.0.2: no `content.hash` (Rekor answers 500 here; this is the client's fault).
    case missingEnvelopeDigest
    /// intoto: the statement inside the payload is not standard base64.
    case payloadNotDecodable(offset: Int)

    /// Which base64 field failed.
    public enum ContentField: String, Sendable {
        case signature = "signature content"
        case publicKey = "public key content"
        /// dsse `proposedContent.verifiers[]`.
        case verifier = "verifier"
        /// intoto 0.0.2 `envelope.payload`.
        case payload = "payload"
        /// intoto 0.0.2 `envelope.signatures[].sig`.
        case envelopeSignature = "signature"
        /// intoto 0.0.2 `envelope.signatures[].publicKey`.
        case envelopePublicKey = "public key"
    }

    /// One violation of the hashedrekord 0.0.1 JSON schema.
    public enum SchemaViolation: Sendable, Equatable, CustomStringConvertible {
        /// A required member (`path` like `data.hash.algorithm`) is missing.
        case required(path: String)
        /// `path` holds `got`, which is not one of `allowed`.
        case notInEnum(path: String, got: String, allowed: [String])
        /// The string at `path` does not match `pattern`.
        case pattern(path: String, pattern: String)

        public var description: String {
            switch self {
            case .required(let path):
                return "\(path) in body is required"
            case .notInEnum(let path, _, let allowed):
                return "\(path) in body should be one of [\(allowed.joined(separator: " "))]"
            case .pattern(let path, let pattern):
                return "\(path) in body should match '\(pattern)'"
            }
        }
    }

    /// The message without Rekor's `error processing entry: ` prefix, as Rekor words it where
    /// it has words, with the offending values added where it has none.
    public var reason: String {
        switch self {
        case .malformedJSON(let error):
            return error.description
        case .notAnObject(let got):
            return "the proposed entry must be a JSON object, got \(got)"
        case .fieldType(let field, let want, let got):
            return "\(field) must be a JSON \(want), got \(got)"
        case .missingKind:
            return "kind in body is required"
        case .unknownKind(let kind):
            return "invalid kind value: \(Self.goQuoted(kind))"
        case .missingAPIVersion:
            return "apiVersion in body is required"
        case .apiVersionPattern:
            return "apiVersion in body should match '\(SemanticVersion.pattern)'"
        case .missingSpec:
            return "spec in body is required"
        case .kindNotEnabled(let kind):
            return "entry kind '\(kind)' is not enabled for submission on this server"
        case .unsupportedAPIVersion(let kind, let version):
            return "\(kind) implementation for version '\(version)' not found: unable to locate entry for version \(version)"
        case .specNotObject(let got):
            return "spec must be a JSON object, got \(got)"
        case .invalidBase64(let field, let offset):
            return "failed parsing base64 data for \(field.rawValue): illegal base64 data at input byte \(offset)"
        case .schemaViolations(let violations):
            return "validation failure list:\n" + violations.map(\.description).joined(separator: "\n")
        case .missingPublicKey:
            return "missing public key"
        case .publicKey(let error):
            return error.description
        case .hashLength(let algorithm, let got):
            return "invalid value for hash: \(algorithm.rawValue) needs \(algorithm.hexLength) hex characters, got \(got)"
        case .hashNotHex(let scalar):
            return "encoding/hex: invalid byte: \(Self.goRune(scalar))"
        case .chain(let error):
            return "verifying signature: \(error)"
        case .signature(let error):
            return "verifying signature: \(error)"
        case .algorithmNotAllowed:
            return "entry algorithms are not allowed"
        case .dsseContentOrHashes(let both):
            return "either proposedContent or envelopeHash, payloadHash, and signatures must be present" + (both ? " but not both" : "")
        case .missingProposedContent:
            return "entry not insertable into log: missing proposed content"
        case .envelopeJSON(let message):
            return message
        case .envelopeWithoutSignatures:
            return "DSSE envelope must contain 1 or more signatures"
        case .verifierKey(let error):
            return "could not parse public key as x509: \(error)"
        case .verifierKeyType:
            return "could not load verifier: unsupported public key type"
        case .envelopeNotVerified(let reason):
            return "could not verify envelope: \(reason)"
        case .signaturesWithoutKey:
            return "all signatures must have a key that verifies it"
        case .missingEnvelopeContent:
            return "entry not insertable into log: missing envelope content"
        case .missingEnvelopeDigest:
            return "missing envelope digest: content.hash is required to log an intoto 0.0.2 entry"
        case .payloadNotDecodable(let offset):
            return "could not decode envelope payload: illegal base64 data at input byte \(offset)"
        }
    }

    /// Go's `%q` for the ASCII cases that matter here (quotes and backslashes escaped).
    static func goQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Go's `%#U`: `U+0067 'g'`.
    static func goRune(_ scalar: Unicode.Scalar) -> String {
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        return "U+\(hex) '\(scalar)'"
    }
}

extension RekorEntryError: RekorAPIErrorConvertible {
    /// Envelope problems are go-openapi's (400 for unparsable bodies, 422 with the validation
    /// code for schema failures); everything after is the create handler's 400
    /// `error processing entry: <reason>` (rekor-v1.md §1.4).
    public var apiError: RekorAPIError {
        switch self {
        case .malformedJSON(let error):
            return error.apiError
        case .notAnObject, .fieldType:
            return RekorAPIError(status: 400, message: "parsing request body failed, because \(reason)")
        case .missingKind, .missingAPIVersion, .missingSpec:
            return RekorAPIError(status: 422, code: ValidationCode.required, message: reason)
        case .apiVersionPattern:
            return RekorAPIError(status: 422, code: ValidationCode.pattern, message: reason)
        case .unknownKind:
            return RekorAPIError(status: 422, code: 422, message: reason)
        case .kindNotEnabled:
            return RekorAPIError(status: 400, message: reason)
        case .unsupportedAPIVersion, .specNotObject, .invalidBase64, .schemaViolations, .missingPublicKey,
             .publicKey, .hashLength, .hashNotHex, .chain, .signature, .algorithmNotAllowed,
             .dsseContentOrHashes, .missingProposedContent, .envelopeJSON, .envelopeWithoutSignatures,
             .verifierKey, .verifierKeyType, .envelopeNotVerified, .signaturesWithoutKey,
             .missingEnvelopeContent, .missingEnvelopeDigest, .payloadNotDecodable:
            return RekorAPIError(status: 400, message: "error processing entry: \(reason)")
        }
    }
}
