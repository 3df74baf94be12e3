import HTTPTypes
import Hummingbird

/// Which methods each path of the API takes, so that a known path asked with another method gets
/// 405 Method Not Allowed with an `Allow` header (RFC 9110 §15.5.6), not a 404 that would claim
/// the path does not exist. Paths nobody serves still get the router's 404.
enum AllowedMethods {
    /// The methods `path` takes (as the OpenAPI document lists them), or nil for a path nobody
    /// serves.
    static func methods(for path: some StringProtocol) -> [HTTPRequest.Method]? {
        switch path {
        case "/api/v1/log", "/api/v1/log/publicKey", "/api/v1/log/proof", "/checkpoint", "/metrics", "/healthz",
             "/ping", "/api/v1/openapi.json":
            return [.get]
        case "/api/v1/log/entries":
            return [.get, .post]
        case "/api/v1/index/retrieve", "/api/v1/log/entries/retrieve":
            return [.post]
        default:
            if path.hasPrefix("/tile/") { return [.get] }
            if path.hasPrefix("/api/v1/log/entries/"), !path.dropFirst("/api/v1/log/entries/".count).contains("/") {
                return [.get]
            }
            return nil
        }
    }
}

/// Answers 405 with `Allow` for a known path asked with a method it does not take; passes
/// everything else to `base`.
struct MethodCheckResponder<Base: HTTPResponder>: HTTPResponder {
    let base: Base

    func respond(to request: Request, context: Base.Context) async throws -> Response {
        guard let allowed = AllowedMethods.methods(for: request.uri.path), !allowed.contains(request.method) else {
            return try await base.respond(to: request, context: context)
        }
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(status: .methodNotAllowed, message: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(list)",
                        headers: [.allow: list]).response
    }
}
