import NIOCore
import NIOHTTP1
import NIOPosix

/// What `scripts/soak` sends: one HTTP request and how long to wait for its answer.
struct SoakHTTPRequest {
    var method: HTTPMethod
    var path: String
    var body: [UInt8]? = nil
}

/// An answer, or why there was none.
enum SoakHTTPOutcome: Sendable {
    case answered(status: Int, body: ByteBuffer)
    /// No complete answer: the connection closed, failed or timed out with the request pending.
    case unanswered(reason: String)
}

/// One HTTP/1.1 keep-alive connection to the server under test, one request at a time. Lives on
/// its channel's event loop: `send` and the completion run there, so the load generator keeps
/// all its state on one thread without locks.
final class SoakConnection: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private var context: ChannelHandlerContext?
    private var completion: ((SoakHTTPOutcome) -> Void)?
    private var status = 0
    private var body = ByteBuffer()
    private var timeout: Scheduled<Void>?
    /// Told once when the connection is gone (after any pending completion).
    var onClose: (() -> Void)?
    /// Serves the read pool rather than the uploads.
    var isReader = false

    var isBusy: Bool { completion != nil }
    var isOpen: Bool { context?.channel.isActive ?? false }

    /// Opens a connection on `loop`.
    static func connect(host: String, port: Int, on loop: EventLoop) -> EventLoopFuture<SoakConnection> {
        let made = loop.makePromise(of: SoakConnection.self)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = SoakConnection()
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(connection)
                    return connection
                }.map { _ in }
            }
            .connect(host: host, port: port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    made.completeWith(channel.pipeline.handler(type: SoakConnection.self))
                case .failure(let error):
                    made.fail(error)
                }
            }
        return made.futureResult
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Sends `request`; `completion` runs on the event loop with the answer, or unanswered after
    /// `timeoutSeconds` (the connection is then closed: a late answer would be taken for the
    /// next request's).
    func send(_ request: SoakHTTPRequest, timeoutSeconds: Int64, completion: @escaping (SoakHTTPOutcome) -> Void) {
        guard let context, context.channel.isActive, self.completion == nil else {
            completion(.unanswered(reason: "connection not open"))
            return
        }
        self.completion = completion
        status = 0
        body.clear()
        var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.path)
        head.headers.add(name: "Host", value: "vellum-soak")
        if let bytes = request.body {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(bytes.count))
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let bytes = request.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        timeout = context.eventLoop.scheduleTask(in: .seconds(timeoutSeconds)) { [weak self] in
            self?.finish(.unanswered(reason: "no answer within \(timeoutSeconds) s"))
            self?.context?.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            finish(.answered(status: status, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.unanswered(reason: "connection closed with the request pending"))
        self.context = nil
        let closed = onClose
        onClose = nil
        closed?()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(.unanswered(reason: "connection failed: \(error)"))
        context.close(promise: nil)
    }

    private func finish(_ outcome: SoakHTTPOutcome) {
        timeout?.cancel()
        timeout = nil
        guard let completion else { return }
        self.completion = nil
        completion(outcome)
    }

    /// Closes the connection (on its event loop).
    func close() { context?.close(promise: nil) }
}
