/// An answer from a log, as the client side needs it.
public struct HTTPReply: Sendable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// How the client side reaches a log: GET and POST of paths under one base URL. The real one is
/// ``URLSessionTransport``; tests put a lying log behind the same protocol.
public protocol LogTransport: Sendable {
    /// The base URL, for messages and findings.
    var base: String { get }
    /// Throws ``ClientError/unreachable(_:reason:)`` when no answer arrived.
    func get(_ path: String) async throws(ClientError) -> HTTPReply
    /// POSTs a JSON body.
    func post(_ path: String, json: [UInt8]) async throws(ClientError) -> HTTPReply
}

extension LogTransport {
    /// GET that must answer 200.
    func fetch(_ path: String) async throws(ClientError) -> [UInt8] {
        let reply = try await get(path)
        guard reply.status == 200 else { throw .status(url: base + path, status: reply.status, body: String(reply.text.prefix(200))) }
        return reply.body
    }
}
