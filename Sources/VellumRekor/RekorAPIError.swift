/// What the HTTP layer sends for a failed request: the status line and the Rekor error body
/// `{"code": <code>, "message": "<message>"}` (rekor-v1.md §7.1).
///
/// `code` equals `status` for handler errors; for request-schema failures Rekor's go-openapi
/// layer answers HTTP 422 with the validation code in the body (602 required, 605 pattern, …,
/// rekor-v1.md §0), and so do we.
public struct RekorAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code.
    public let status: Int
    /// The `code` field of the JSON body.
    public let code: Int
    /// The `message` field of the JSON body.
    public let message: String

    public init(status: Int, code: Int, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// A handler error: the body code equals the HTTP status.
    public init(status: Int, message: String) {
        self.init(status: status, code: status, message: message)
    }

    /// The JSON error body, e.g. `{"code":400,"message":"…"}`.
    public var body: [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("code")
        writer.integer(Int64(code))
        writer.key("message")
        writer.string(message)
        writer.endObject()
        return writer.bytes
    }

    public var description: String { "\(status) {code: \(code), message: \(message)}" }
}

/// An error the HTTP layer can answer with, through one exhaustive mapping per error type.
public protocol RekorAPIErrorConvertible: Error {
    /// The status and body to answer with.
    var apiError: RekorAPIError { get }
}

extension RekorAPIError: RekorAPIErrorConvertible {
    public var apiError: RekorAPIError { self }
}

/// The go-openapi validation codes Rekor puts in 422 bodies (go-openapi/errors).
enum ValidationCode {
    static let invalidType = 601
    static let required = 602
    static let tooLong = 603
    static let tooShort = 604
    static let pattern = 605
    static let enumeration = 606
    static let minimum = 609
    static let maxItems = 611
    static let minItems = 612
}
