import Crypto
import Foundation
import Logging
import ServiceLifecycle
import VellumMerkle
import VellumServer
import VellumPostgres
import VellumSQLite
import VellumStorage

/// A real `vellum serve` application on 127.0.0.1, port 0, with its own data directory.
struct TestServer {
    let client: HTTPTestClient
    let log: RekorLog
    let dataDirectory: String
    /// Starts the same graceful shutdown SIGTERM does.
    let serviceGroup: ServiceGroup

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "vellum-server-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `body` against a started server, then shuts it down gracefully (and waits for it).
    /// `postgres`: a database URL to serve from instead of the data directory's SQLite file
    /// (several servers may share it, as nodes of one log).
    static func with<R: Sendable>(dataDirectory: String? = nil, sqlite: SQLiteConfiguration = SQLiteConfiguration(),
                                  postgres: String? = nil,
                                  configure: (inout ServerConfiguration) -> Void = { _ in },
                                  _ body: @Sendable (TestServer) async throws -> R) async throws -> R {
        let directory = dataDirectory ?? temporaryDirectory()
        // A directory made here is removed here; a caller's is the caller's to remove.
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(atPath: directory) } }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.dataDirectory = directory
        configuration.hostname = "vellum.test"
        configure(&configuration)
        var logger = Logger(label: "vellum.test")
        logger.logLevel = ProcessInfo.processInfo.environment["VELLUM_TEST_LOG"] == "debug" ? .debug : .warning
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let storage: any ServedLogStorage = try postgres.map {
            // A lease that outlasts a sanitizer-slowed, fully loaded test run's pauses.
            try PostgresLogStorage.open(location: try PostgresLocation(parsing: $0), readers: 2, leaseDuration: .seconds(5))
        } ?? SQLiteLogStorage(path: configuration.databasePath, readers: configuration.readers, configuration: sqlite)
        let (log, _) = try RekorLog.open(configuration: configuration, storage: storage, logger: logger)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = VellumApplication.build(configuration: configuration, log: log, logger: logger) { port in
            portSink.yield(port)
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestFailure("server did not report a port") }
            let server = TestServer(client: HTTPTestClient(port: port), log: log, dataDirectory: directory,
                                    serviceGroup: group)
            do {
                let result = try await body(server)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}

/// A signer with a P-256 key, making hashedrekord 0.0.1 requests as sigstore clients do.
struct TestSigner {
    let key = P256.Signing.PrivateKey()

    var publicKeyPEM: String { key.publicKey.pemRepresentation + "\n" }

    /// A request for a fresh artifact (`tag` makes it unique), with the artifact's digest.
    func request(_ tag: String) throws -> (request: [String: Any], digest: String) {
        let digest = SHA256.hash(data: Array("artifact \(tag) \(UUID().uuidString)".utf8))
        let signature = try key.signature(for: digest).derRepresentation
        let hex = Hash(Array(digest))!.hex
        return (Self.hashedrekord(signature: Data(signature), publicKeyPEM: publicKeyPEM, algorithm: "sha256", digest: hex), hex)
    }

    static func hashedrekord(signature: Data, publicKeyPEM: String, algorithm: String, digest: String) -> [String: Any] {
        [
            "kind": "hashedrekord", "apiVersion": "0.0.1",
            "spec": [
                "signature": [
                    "content": signature.base64EncodedString(),
                    "publicKey": ["content": Data(publicKeyPEM.utf8).base64EncodedString()],
                ],
                "data": ["hash": ["algorithm": algorithm, "value": digest]],
            ],
        ]
    }
}
