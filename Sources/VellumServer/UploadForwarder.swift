import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

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
    /// One pool of kept-alive connections for the process, never shut down (it lives as long as
    /// the process). Up to 64 connections to the holder: each forward waits for a batch commit,
    /// so fewer would queue uploads behind one another.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(
            timeout: .init(connect: .seconds(5)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
    /// Largest answer relayed (a receipt is a few KiB).
    static let maxAnswerBytes = 1 << 20
    let timeout: TimeAmount

    init(timeout: TimeAmount = .seconds(30)) { self.timeout = timeout }

    /// POSTs `body` to `address` + `path` and returns the holder's answer as this node's.
    func forward(_ body: [UInt8], path: String, to address: String) async throws -> Response {
        var request = HTTPClientRequest(url: address + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: Self.header.rawName, value: "1")
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        let answerHeaders: HTTPHeaders
        let answer: ByteBuffer
        do {
            let response = try await Self.client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            answerHeaders = response.headers
            answer = try await response.body.collect(upTo: Self.maxAnswerBytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw APIError(status: .serviceUnavailable,
                           message: "the sequencing node at \(address) did not answer (\(error)); retry shortly",
                           headers: [.retryAfter: "1"])
        }
        var headers: HTTPFields = [:]
        for name in ["Content-Type", "Location", "ETag", "Retry-After"] {
            if let value = answerHeaders.first(name: name), let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: answer))
    }
}
