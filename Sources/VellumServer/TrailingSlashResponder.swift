import HTTPTypes
import Hummingbird

/// Rekor's router cleans paths, so `/api/v1/log/entries/retrieve/` (what sigstore-python posts
/// to) means `/api/v1/log/entries/retrieve`. This strips trailing slashes before routing.
struct TrailingSlashResponder<Base: HTTPResponder>: HTTPResponder {
    let base: Base

    func respond(to request: Request, context: Base.Context) async throws -> Response {
        let path = request.uri.path
        guard path.utf8.count > 1, path.utf8.last == UInt8(ascii: "/") else {
            return try await base.respond(to: request, context: context)
        }
        var trimmed = Substring(path)
        while trimmed.utf8.count > 1, trimmed.utf8.last == UInt8(ascii: "/") { trimmed = trimmed.dropLast() }
        var head = request.head
        let query = request.uri.query.map { "?" + $0 } ?? ""
        head.path = String(trimmed) + query
        return try await base.respond(to: Request(head: head, body: request.body), context: context)
    }
}
