import Crypto
import Foundation
import Testing
import VellumMerkle
import VellumServer
import VellumSQLite

@Suite struct ServerLifecycleTests {
    @Test func aRestartedServerKeepsEverythingAndContinuesTheTree() async throws {
        let directory = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let signer = TestSigner()
        let (first, firstInfo) = try await TestServer.with(dataDirectory: directory) { server in
            var ids: [String] = []
            for number in 0..<3 {
                let response = try await server.client.post("/api/v1/log/entries", json: try signer.request("before \(number)").request)
                #expect(response.status == 201)
                ids.append(response.headers["etag"] ?? "")
            }
            let info = try await server.client.get("/api/v1/log").object()
            return (ids, info.mapValues { "\($0)" })
        }
        try await TestServer.with(dataDirectory: directory) { server in
            let checks = try await ServerEndToEndTests.checks(server)
            #expect(checks.treeID == firstInfo["treeID"])
            for (index, id) in first.enumerated() {
                let entry = try checks.verifyLogEntry(try await server.client.get("/api/v1/log/entries/\(id)").json())
                #expect(entry.logIndex == UInt64(index))
            }
            let response = try await server.client.post("/api/v1/log/entries", json: try signer.request("after").request)
            let added = try checks.verifyLogEntry(try response.json())
            #expect(added.logIndex == 3 && added.treeSize == 4)
            let proof = try await server.client.get("/api/v1/log/proof?firstSize=3&lastSize=4").object()
            let hashes = try #require(proof["hashes"] as? [String]).map { try #require(Hash(hex: $0)) }
            try ConsistencyProof.verify(oldSize: 3, newSize: 4, oldRoot: try #require(Hash(hex: firstInfo["rootHash"] ?? "")),
                                        newRoot: added.rootHash, proof: hashes)
        }
    }

    /// `--page-size` shapes a new database only: a restart with another size keeps the file's
    /// own and the log goes on.
    @Test func thePageSizeAppliesToANewDatabaseOnly() async throws {
        let directory = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let signer = TestSigner()
        func pageSize(_ configuration: ServerConfiguration) throws -> String? {
            try SQLiteConnection(path: configuration.databasePath, mode: .readOnly).pragma("page_size")
        }
        var small = SQLiteConfiguration()
        small.pageSizeBytes = 4096
        try await TestServer.with(dataDirectory: directory, sqlite: small) { server in
            let response = try await server.client.post("/api/v1/log/entries", json: try signer.request("small pages").request)
            #expect(response.status == 201)
        }
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory
        #expect(try pageSize(configuration) == "4096")
        var large = SQLiteConfiguration()
        large.pageSizeBytes = 16384
        try await TestServer.with(dataDirectory: directory, sqlite: large) { server in
            let response = try await server.client.post("/api/v1/log/entries", json: try signer.request("still small pages").request)
            let checks = try await ServerEndToEndTests.checks(server)
            #expect(try checks.verifyLogEntry(try response.json()).logIndex == 1)
        }
        #expect(try pageSize(configuration) == "4096")
    }

    @Test func keysAreCreatedPrivateAndReused() async throws {
        let directory = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let firstKey = try await TestServer.with(dataDirectory: directory) { try await $0.client.get("/api/v1/log/publicKey").text }
        for file in [LogKeys.logKeyFile, LogKeys.noteKeyFile] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(file)")
        }
        let secondKey = try await TestServer.with(dataDirectory: directory) { try await $0.client.get("/api/v1/log/publicKey").text }
        #expect(firstKey == secondKey)
        #expect(throws: ServerError.self) { try LogKeys.create(in: directory) }
    }

    @Test func aDifferentTreeIDForAnExistingLogIsRefused() async throws {
        let directory = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await TestServer.with(dataDirectory: directory, configure: { $0.treeID = 42 }) { server in
            let info = try await server.client.get("/api/v1/log").object()
            #expect(info["treeID"] as? String == "42")
        }
        await #expect(throws: ServerError.self) {
            try await TestServer.with(dataDirectory: directory, configure: { $0.treeID = 43 }) { _ in }
        }
    }

    @Test func operationsEndpointsAnswer() async throws {
        try await TestServer.with { server in
            _ = try await server.client.post("/api/v1/log/entries", json: try TestSigner().request("ops").request)
            let health = try await server.client.get("/healthz").object()
            #expect(health["status"] as? String == "ok" && health["treeSize"] as? Int == 1)
            let metrics = try await server.client.get("/metrics").text
            #expect(metrics.contains("vellum_tree_size 1"))
            #expect(metrics.contains("vellum_http_requests_total{"))
            #expect(metrics.contains("vellum_batch_entries_bucket"))
            #expect(try await server.client.get("/ping").text == ".")
            // Trailing slashes are ignored, as by Rekor's router.
            #expect(try await server.client.get("/api/v1/log/").status == 200)
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryRoute() async throws {
        try await TestServer.with { server in
            let response = try await server.client.get("/api/v1/openapi.json")
            let document = try response.object()
            #expect(document["openapi"] as? String == "3.0.3")
            let paths = try #require(document["paths"] as? [String: Any])
            for path in ["/api/v1/log", "/api/v1/log/publicKey", "/api/v1/log/proof", "/api/v1/log/entries",
                         "/api/v1/log/entries/{entryUUID}", "/api/v1/log/entries/retrieve", "/api/v1/index/retrieve",
                         "/checkpoint", "/tile/{level}/{index}", "/tile/entries/{index}", "/healthz", "/metrics"] {
                #expect(paths[path] != nil, "\(path) missing from the OpenAPI document")
            }
        }
    }
}

@Suite struct ServerShutdownTests {
    /// SIGTERM's graceful shutdown while uploads are in flight: every upload the server took
    /// gets a whole answer (201, or 503 if it reached a stopping sequencer), connections it had
    /// not started on are closed at once, nothing is logged without its 201, and every 201 is
    /// in the log after a restart.
    @Test func shutdownAnswersEveryUploadItTookAndKeepsEveryAcknowledgedOne() async throws {
        let directory = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let signer = TestSigner()
        let requests: [[UInt8]] = try (0..<40).map {
            Array(try JSONSerialization.data(withJSONObject: try signer.request("shutdown \($0)").request))
        }
        let outcomes: [(status: Int?, entryID: String?, error: String?)] = try await TestServer.with(dataDirectory: directory) { server in
            try await withThrowingTaskGroup(of: (Int?, String?, String?).self) { group in
                for request in requests {
                    group.addTask {
                        do {
                            let response = try await server.client.post("/api/v1/log/entries", raw: request)
                            return (response.status, response.headers["etag"], nil)
                        } catch {
                            return (nil, nil, "\(error)")
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(3))
                await server.serviceGroup.triggerGracefulShutdown()
                var outcomes: [(Int?, String?, String?)] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
        }
        var acknowledged: [String] = []
        for outcome in outcomes {
            if let status = outcome.status {
                #expect(status == 201 || status == 503, "status \(status)")
                if status == 201, let id = outcome.entryID { acknowledged.append(id) }
            } else {
                // A connection whose request the server had not started on is closed without
                // an answer, refused once the listener is gone, or reset while still in the
                // listener's queue before the client could send (the closed listener drops
                // it): the client sees it at once and can retry. What must never happen is a
                // cut-off answer.
                let error = outcome.error ?? ""
                #expect(error.contains("connect to port") || error.contains("in 0 bytes") || error.contains("send failed after 0 bytes"),
                        "\(error)")
            }
        }
        let acknowledgedIDs = acknowledged
        try await TestServer.with(dataDirectory: directory) { server in
            for id in acknowledgedIDs {
                let response = try await server.client.get("/api/v1/log/entries/\(id)")
                #expect(response.status == 200, "acknowledged entry \(id) lost")
            }
            let info = try await server.client.get("/api/v1/log").object()
            #expect(info["treeSize"] as? Int == acknowledgedIDs.count)
        }
    }
}
