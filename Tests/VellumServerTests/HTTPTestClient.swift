import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small HTTP/1.1 client over a blocking socket, one connection per request
/// (`Connection: close`, body read to EOF): the tests then depend on nothing but the server.
struct HTTPTestClient: Sendable {
    let port: Int

    struct Response: Sendable {
        var status: Int
        /// Header names lowercased.
        var headers: [String: String]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
        func object() throws -> [String: Any] {
            guard let object = try json() as? [String: Any] else { throw TestFailure("not a JSON object: \(text.prefix(200))") }
            return object
        }
    }

    func get(_ path: String) async throws -> Response { try await send("GET", path, body: nil) }

    func post(_ path: String, json: Any) async throws -> Response {
        try await send("POST", path, body: Array(try JSONSerialization.data(withJSONObject: json)))
    }

    func post(_ path: String, raw: [UInt8], headers: [String: String] = [:]) async throws -> Response {
        try await send("POST", path, body: raw, headers: headers)
    }

    func send(_ method: String, _ path: String, body: [UInt8]?, headers: [String: String] = [:]) async throws -> Response {
        let port = self.port
        // Blocking socket calls run on a thread of their own: not on Swift's cooperative pool
        // (two threads here, which the server's handlers need), and not on GCD's global queue
        // either, whose threads that pool is built on — forty blocked requests there starve
        // the server of threads until GCD notices and adds more, tens of seconds later.
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result {
                    try Self.exchange(port: port, method: method, path: path, body: body, headers: headers)
                })
            }
            thread.start()
        }
    }

    static func exchange(port: Int, method: String, path: String, body: [UInt8]?, headers: [String: String]) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect to port \(port) failed") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nAccept: application/json\r\n"
        if let body {
            head += "Content-Length: \(body.count)\r\n"
            if headers["Content-Type"] == nil { head += "Content-Type: application/json\r\n" }
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try writeAll(fd, Array(head.utf8) + (body ?? []))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[..<count]
        }
        return try parse(received)
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestFailure("send failed after \(offset) bytes") }
            offset += sent
        }
    }

    static func parse(_ bytes: [UInt8]) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let split = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            throw TestFailure("no complete HTTP response head in \(bytes.count) bytes")
        }
        let lines = String(decoding: bytes[..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw TestFailure("bad status line \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(split + 4)...])
        if let length = headers["content-length"].flatMap(Int.init) { body = Array(body.prefix(length)) }
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = try dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            guard let lineEnd = (offset..<bytes.count - 1).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                  let size = Int(String(decoding: bytes[offset..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16) else {
                throw TestFailure("bad chunk header")
            }
            if size == 0 { break }
            out += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            offset = lineEnd + 2 + size + 2
        }
        return out
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
