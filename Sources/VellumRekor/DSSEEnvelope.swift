/// A DSSE envelope (secure-systems-lab/dsse `envelope.md`) as Rekor reads it: Go's
/// `encoding/json` into go-securesystemslib's `dsse.Envelope` (dsse-intoto.md §2.1 step 4).
///
/// Go matches the member names case-insensitively and ignores unknown members; `null` leaves
/// a field empty. `payloadType` is not validated (it may be missing or empty), and `payload` and
/// each `sig` are kept as the client's strings: the PAE signs the payload's *decoded* bytes,
/// while the dsse body logs the `sig` strings verbatim. Known gap: Go keeps the last of two
/// members whose names differ only in case; our parser has no member order, so an exact-case
/// name wins over the others.
public struct DSSEEnvelope: Sendable, Equatable {
    public struct Signature: Sendable, Equatable {
        /// `keyid`; ignored when verifying (dsse-intoto.md §2.1 step 6), kept by intoto 0.0.2.
        public var keyID: String
        /// `sig`, the base64 text as sent.
        public var sig: String

        public init(keyID: String, sig: String) {
            self.keyID = keyID
            self.sig = sig
        }
    }

    public var payloadType: String
    /// The base64 text of the payload, as sent.
    public var payload: String
    public var signatures: [Signature]

    public init(payloadType: String, payload: String, signatures: [Signature]) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// The payload type of an in-toto statement: the one whose subject digests get indexed.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    /// Reads the envelope from its JSON text (the dsse `proposedContent.envelope` string, the
    /// intoto 0.0.1 `content.envelope` string).
    public init(json text: String) throws(RekorEntryError) {
        let json: JSONValue
        do {
            json = try JSONValue.parse(Array(text.utf8))
        } catch {
            throw .envelopeJSON(error.description)
        }
        guard case .object(let members) = json else {
            throw .envelopeJSON("json: cannot unmarshal \(json.goTypeName) into Go value of type dsse.Envelope")
        }
        payloadType = try Self.string(members, "payloadType", in: "Envelope")
        payload = try Self.string(members, "payload", in: "Envelope")
        signatures = []
        switch Self.member(members, "signatures") {
        case nil, .null?:
            break
        case .array(let items)?:
            for item in items {
                switch item {
                case .null:
                    signatures.append(Signature(keyID: "", sig: ""))
                case .object(let fields):
                    signatures.append(Signature(keyID: try Self.string(fields, "keyid", in: "Signature"),
                                                sig: try Self.string(fields, "sig", in: "Signature")))
                default:
                    throw .envelopeJSON("json: cannot unmarshal \(item.goTypeName) into Go struct field Envelope.signatures of type dsse.Signature")
                }
            }
        case let other?:
            throw .envelopeJSON("json: cannot unmarshal \(other.goTypeName) into Go struct field Envelope.signatures of type []dsse.Signature")
        }
    }

    /// The member `name`, matched as Go matches struct fields: exactly, else ignoring case.
    static func member(_ members: [String: JSONValue], _ name: String) -> JSONValue? {
        if let exact = members[name] { return exact }
        let folded = name.lowercased()
        return members.first(where: { $0.key.lowercased() == folded })?.value
    }

    /// A string field: absent or `null` is empty; any other type is Go's unmarshal error.
    private static func string(_ members: [String: JSONValue], _ name: String, in type: String) throws(RekorEntryError) -> String {
        switch member(members, name) {
        case nil, .null?: return ""
        case .string(let value)?: return value
        case let other?:
            throw .envelopeJSON("json: cannot unmarshal \(other.goTypeName) into Go struct field \(type).\(name) of type string")
        }
    }

    /// The payload's bytes: standard base64, else URL-safe base64 (both padded, line breaks
    /// skipped), as go-securesystemslib decodes it; nil when neither reads it.
    public var decodedPayload: [UInt8]? { Self.decodeStdOrURL(payload) }

    /// go-securesystemslib's `b64Decode`: `StdEncoding`, then `URLEncoding`.
    static func decodeStdOrURL(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        if case .success(let decoded) = Base64.decode(bytes, mode: .goStd) { return decoded }
        if case .success(let decoded) = Base64.decode(bytes, mode: .goURL) { return decoded }
        return nil
    }

    /// The DSSE v1 pre-authentication encoding, what the signatures sign:
    /// `"DSSEv1" SP len(type) SP type SP len(payload) SP payload`, lengths in decimal bytes.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        var out = Array("DSSEv1 \(type.count) ".utf8)
        out.reserveCapacity(out.count + type.count + payload.count + 24)
        out += type
        out += Array(" \(payload.count) ".utf8)
        out += payload
        return out
    }
}

extension JSONValue {
    /// The name Go's `encoding/json` gives this JSON type in an unmarshal error.
    var goTypeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
