import HTTPTypes
import Hummingbird
import VellumMerkle
import VellumRekor
import VellumSequencer
import VellumStorage

/// An error answer: HTTP status, Rekor's JSON `{code, message}` and extra headers. Every error a
/// handler meets is mapped to one in `init(_:)`, in one place, so each gets a status and a
/// message a client can act on; anything unforeseen is a 500 that says so without internals.
struct APIError: Error {
    var status: HTTPResponse.Status
    /// The `code` field: the HTTP status, or a go-openapi 6xx validation code on a 422.
    var code: Int
    var message: String
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, code: Int? = nil, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code ?? status.code
        self.message = message
        self.headers = headers
    }

    static func badRequest(_ message: String) -> APIError { APIError(status: .badRequest, message: message) }

    /// A go-openapi style validation failure (HTTP 422 with a 6xx code).
    static func validation(_ code: Int, _ message: String) -> APIError {
        APIError(status: .unprocessableContent, code: code, message: message)
    }

    static func tooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, message: "Request Entity Too Large. Limit set to \(limit)")
    }

    /// Maps anything thrown below the HTTP layer.
    init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as any RekorAPIErrorConvertible:
            let answer = error.apiError
            self.init(status: HTTPResponse.Status(code: answer.status), code: answer.code, message: answer.message)
        case let error as SequencerError:
            self.init(sequencer: error)
        case let error as HTTPError where error.status == .contentTooLarge:
            self.init(status: .contentTooLarge, message: "Request Entity Too Large")
        case let error as HTTPError:
            self.init(status: error.status, message: error.body ?? error.status.reasonPhrase)
        case is StorageError, is ProofError:
            self.init(status: .internalServerError, message: "unexpected error communicating with transparency log")
        default:
            self.init(status: .internalServerError, message: "unexpected error")
        }
    }

    private init(sequencer error: SequencerError) {
        switch error {
        case .poolFull:
            // Pushback: the pool drains within a few batches; clients retry after a second.
            self.init(status: .serviceUnavailable, message: "the log is busy (\(error)); retry shortly",
                      headers: [.retryAfter: "1"])
        case .shuttingDown:
            self.init(status: .serviceUnavailable, message: "the log is shutting down; retry against the restarted server",
                      headers: [.retryAfter: "5"])
        case .entryTooLarge(let size, let limit):
            self.init(status: .contentTooLarge, message: "canonical entry of \(size) bytes exceeds the limit of \(limit) bytes")
        case .batchFailed, .inconsistentStorage:
            self.init(status: .internalServerError, message: "unexpected error communicating with transparency log")
        }
    }

    var response: Response {
        var headers = headers
        headers[.contentType] = "application/json"
        let body = RekorAPIError(status: status.code, code: code, message: message).body
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
