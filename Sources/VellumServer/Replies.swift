import HTTPTypes
import Hummingbird

/// Response shapes shared by the controllers.
enum Replies {
    /// Rekor marks its log reads uncacheable (spec §0: chi's NoCache headers).
    static let noCache: HTTPFields = [
        .cacheControl: "no-cache, no-store, no-transform, must-revalidate, private, max-age=0",
        HTTPField.Name("Pragma")!: "no-cache",
        .expires: "Thu, 01 Jan 1970 00:00:00 UTC",
        HTTPField.Name("X-Accel-Expires")!: "0",
    ]

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func text(_ text: String, contentType: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func bytes(_ bytes: [UInt8], contentType: String, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Rekor answers a missing entry with 404, no body and no Content-Type (spec §7.1).
    static var notFound: Response { Response(status: .notFound, headers: noCache) }

    /// Runs a handler, turning whatever it throws into a JSON error answer.
    static func guarded(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return APIError(error).response
        }
    }
}

extension Request {
    /// The request body, refused with 413 beyond `limit` bytes (checked against Content-Length
    /// first, so an oversized upload is turned away before it is read).
    func collectBody(limit: Int) async throws -> [UInt8] {
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.tooLarge(limit: limit)
        }
        do {
            var buffer = try await body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.tooLarge(limit: limit)
        }
    }

    /// A query parameter, or nil when absent.
    func query(_ name: String) -> String? {
        uri.queryParameters[name[...]].map(String.init)
    }
}
