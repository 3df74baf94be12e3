import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// HTTP(S) through Foundation's URLSession (libcurl on Linux): it comes with the toolchain, so
/// the client side adds no package to the build, and it speaks TLS with the system's roots.
public struct URLSessionTransport: LogTransport {
    public let base: String
    private let session: URLSession
    private let timeout: TimeInterval

    /// `base` without a trailing slash, e.g. `https://rekor.sigstore.dev`.
    public init(base: String, timeout: TimeInterval = 30) throws(ClientError) {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw .configuration("\(base) is not an http:// or https:// URL")
        }
        self.base = base
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 8
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: configuration)
    }

    public func get(_ path: String) async throws(ClientError) -> HTTPReply {
        try await send(method: "GET", path: path, body: nil)
    }

    public func post(_ path: String, json: [UInt8]) async throws(ClientError) -> HTTPReply {
        try await send(method: "POST", path: path, body: json)
    }

    private func send(method: String, path: String, body: [UInt8]?) async throws(ClientError) -> HTTPReply {
        guard let url = URL(string: base + path) else { throw .configuration("\(base + path) is not a URL") }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("vellum-client", forHTTPHeaderField: "User-Agent")
        if let body {
            request.httpBody = Data(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw ClientError.malformed(url: base + path, reason: "not an HTTP answer") }
            return HTTPReply(status: http.statusCode, body: Array(data))
        } catch let error as ClientError {
            throw error
        } catch {
            throw .unreachable(base + path, reason: error.localizedDescription)
        }
    }
}
