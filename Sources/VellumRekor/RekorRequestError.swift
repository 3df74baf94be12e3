/// Why an entry ID, a `searchLogQuery` or a `searchIndex` request was refused (rekor-v1.md
/// §1.6–§1.8, §8), one case per rule. `field` names are the JSON paths go-openapi reports
/// (`entryUUIDs`, `logIndexes.3`, `publicKey.format`).
public enum RekorRequestError: Error, Sendable, Equatable {
    /// The body is not JSON.
    case malformedJSON(JSONParseError)
    /// The body, or `field`, has the wrong JSON type.
    case wrongType(field: String, want: String, got: String)
    /// `field` is required. 422/602.
    case required(field: String)
    /// The array `field` is empty (omit it instead). 422/612.
    case tooFewItems(field: String, minimum: Int)
    /// The array `field` has more than `maximum` items. 422/611.
    case tooManyItems(field: String, maximum: Int)
    /// More than 10 UUIDs, indexes and entries together. 422/422.
    case tooManyQueries(total: Int, maximum: Int)
    /// `field` does not match `pattern`. 422/605.
    case patternMismatch(field: String, pattern: String)
    /// `field` is below `minimum`. 422/609.
    case belowMinimum(field: String, minimum: Int64)
    /// `field` is not one of `allowed`. 422/606.
    case notInEnum(field: String, allowed: [String])
    /// `field` is shorter than `minimum` characters. 422/604.
    case tooShort(field: String, minimum: Int)
    /// `field` is longer than `maximum` characters. 422/603.
    case tooLong(field: String, maximum: Int)
    /// `email` is not an email address. 422/601.
    case invalidEmail(String)
    /// A path entry ID that is not 64 or 80 hex characters. 422/605.
    case entryIDPattern(String)
    /// An 80-hex entry ID whose tree part is 0 or above `Int64.max`. 400.
    case invalidTreeID(String)
    /// Item `index` of `entries` is not a valid proposed entry.
    case invalidEntry(index: Int, RekorEntryError)
    /// `publicKey.format` other than `x509`. 400.
    case unsupportedPKIFormat(String)
    /// `publicKey.content` missing, not base64, or not a key/certificate. 400.
    case malformedPublicKey(reason: String)

    /// The entry ID pattern of Rekor's OpenAPI spec.
    public static let entryIDPattern = "^([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$"
}

extension RekorRequestError: RekorAPIErrorConvertible {
    public var apiError: RekorAPIError {
        switch self {
        case .malformedJSON(let error):
            return error.apiError
        case .wrongType(let field, let want, let got):
            return RekorAPIError(status: 400, message: "parsing request body failed, because \(field) must be a JSON \(want), got \(got)")
        case .required(let field):
            return invalid(ValidationCode.required, "\(field) in body is required")
        case .tooFewItems(let field, let minimum):
            return invalid(ValidationCode.minItems, "\(field) in body should have at least \(minimum) items")
        case .tooManyItems(let field, let maximum):
            return invalid(ValidationCode.maxItems, "\(field) in body should have at most \(maximum) items")
        case .tooManyQueries(_, let maximum):
            return RekorAPIError(status: 422, code: 422, message: "more than max allowed \(maximum) entries in request")
        case .patternMismatch(let field, let pattern):
            return invalid(ValidationCode.pattern, "\(field) in body should match '\(pattern)'")
        case .belowMinimum(let field, let minimum):
            return invalid(ValidationCode.minimum, "\(field) in body should be greater than or equal to \(minimum)")
        case .notInEnum(let field, let allowed):
            return invalid(ValidationCode.enumeration, "\(field) in body should be one of [\(allowed.joined(separator: " "))]")
        case .tooShort(let field, let minimum):
            return invalid(ValidationCode.tooShort, "\(field) in body should be at least \(minimum) chars long")
        case .tooLong(let field, let maximum):
            return invalid(ValidationCode.tooLong, "\(field) in body should be at most \(maximum) chars long")
        case .invalidEmail(let value):
            return invalid(ValidationCode.invalidType, "email in body must be of type email: \(RekorEntryError.goQuoted(value))")
        case .entryIDPattern:
            return invalid(ValidationCode.pattern, "entryUUID in path should match '\(Self.entryIDPattern)'")
        case .invalidTreeID(let id):
            return RekorAPIError(status: 400, message: "invalid entryID \(id): the tree ID must fit a signed 64-bit integer")
        case .invalidEntry(_, let error):
            // Schema-level problems keep go-openapi's 422; the search handler answers 400 with
            // the bare reason (no "error processing entry:" prefix) for the rest.
            let inner = error.apiError
            return inner.status == 422 ? inner : RekorAPIError(status: 400, message: error.reason)
        case .unsupportedPKIFormat:
            return RekorAPIError(status: 400, message: "the PKI format requested is not supported by this server")
        case .malformedPublicKey:
            return RekorAPIError(status: 400, message: "public key provided could not be parsed")
        }
    }

    private func invalid(_ code: Int, _ message: String) -> RekorAPIError {
        RekorAPIError(status: 422, code: code, message: message)
    }
}

extension RekorRequestError {
    /// A request body parsed as JSON, its syntax errors reported as `malformedJSON` (400).
    static func parseBody(_ bytes: [UInt8]) throws(RekorRequestError) -> JSONValue {
        do {
            return try JSONValue.parse(bytes)
        } catch {
            throw .malformedJSON(error)
        }
    }
}
