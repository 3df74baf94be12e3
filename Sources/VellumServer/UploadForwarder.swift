import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird

/// Sends an upload that reached a node which does not sequence to the node that does (the
/// writer lease's holder) and relays its answer, so that a client may upload to any node.
///
/// Forwarding rather than a durable queue in the database: the client gets its receipt in one
/// extra LAN round trip, the holder validates and deduplicates as for any upload, and nothing
/// new has to be polled or cleaned up. A forwarded request carries `Vellum-Forwarded: 1`; a
/// node that receives one and does not sequence answers 503 instead of forwarding again (a
/// takeover in progress), and the client retries after Retry-After.
struct UploadForwarder: Sendable {
    static let header = HTTPField.Name("Vellum-Forwarded")!
    private let session: URLSession

    init(timeout: TimeInterval = 30) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    /// POSTs `body` to `address` + `path` and returns the holder's answer as this node's.
    func forward(_ body: [UInt8], path: String, to address: String) async throws -> Response {
        guard let url = URL(string: address + path) else {
            throw APIError(status: .serviceUnavailable, message: "the sequencing node's address \(address) is not a URL; retry shortly",
                           headers: [.retryAfter: "1"])
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("1", forHTTPHeaderField: Self.header.rawName)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw APIError(status: .serviceUnavailable,
                           message: "the sequencing node at \(address) did not answer (\(error.localizedDescription)); retry shortly",
                           headers: [.retryAfter: "1"])
        }
        guard let http = response as? HTTPURLResponse else {
            throw APIError(status: .serviceUnavailable, message: "the sequencing node sent no HTTP answer; retry shortly",
                           headers: [.retryAfter: "1"])
        }
        var headers: HTTPFields = [:]
        for name in ["Content-Type", "Location", "ETag", "Retry-After"] {
            if let value = http.value(forHTTPHeaderField: name), let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(status: HTTPResponse.Status(code: http.statusCode), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
