import Foundation
import Testing
import VellumTesting

/// Two servers on one PostgreSQL database, as two nodes of one log: one sequences, both answer
/// reads, an upload to either lands once, and a node shutting down hands the lease over.
@Suite struct PostgresServerTests {
    /// The node that sequences, once two passes over the nodes in a row find the same one.
    /// (One pass asks the nodes one after the other, so a takeover between two questions can
    /// show two nodes, or none; the fence, tested in PostgresStorageTests, keeps the store
    /// right regardless. Under ThreadSanitizer with the whole suite running, a starved node
    /// can lose its lease, so the test does not insist that the first holder keeps it.)
    static func waitForSequencer(_ servers: [TestServer]) async throws -> Int {
        var previous: Int?
        for _ in 0..<300 {
            var found: [Int] = []
            for (n, server) in servers.enumerated() {
                let health = try await server.client.get("/healthz").object()
                if health["sequencer"] as? Bool == true { found.append(n) }
            }
            if found.count == 1 {
                if previous == found[0] { return found[0] }
                previous = found[0]
            } else {
                previous = nil
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("no node became the sequencer")
    }

    @Test func twoNodesShareOneLog() async throws {
        let url = try TestPostgres.freshDatabase("twonodes")
        let keys = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: keys) }
        let signer = TestSigner()
        let tiles = [TestServer.temporaryDirectory(), TestServer.temporaryDirectory()]
        defer { for directory in tiles { try? FileManager.default.removeItem(atPath: directory) } }
        try await TestServer.with(dataDirectory: keys, postgres: url, configure: { $0.tilesDirectory = tiles[0] }) { first in
            try await TestServer.with(dataDirectory: keys, postgres: url, configure: { $0.tilesDirectory = tiles[1] }) { second in
                let servers = [first, second]
                let leader = try await Self.waitForSequencer(servers)
                let follower = 1 - leader
                // The lease change is counted, and the gauge says who sequences.
                let metrics = try await servers[leader].client.get("/metrics").text
                let changes = metrics.split(separator: "\n").first { $0.hasPrefix("vellum_sequencer_lease_changes_total ") }
                #expect((changes?.split(separator: " ").last.flatMap { Int($0) } ?? 0) >= 1, "\(metrics.prefix(2000))")
                #expect(try await servers[follower].client.get("/metrics").text.contains("vellum_sequencer_lease_changes_total"))
                // Uploads through both nodes land in one tree, in order.
                var uuids: [String] = []
                for n in 0..<6 {
                    let upload = try await servers[n % 2].client.post("/api/v1/log/entries", json: try signer.request("node \(n)").request)
                    #expect(upload.status == 201, "\(upload.text)")
                    let entry = try #require(try upload.object().first)
                    #expect((entry.value as? [String: Any])?["logIndex"] as? Int == n)
                    uuids.append(entry.key)
                }
                // A repeat through the follower is a 409 pointing at the first.
                let request = try signer.request("repeat").request
                #expect(try await servers[follower].client.post("/api/v1/log/entries", json: request).status == 201)
                let repeated = try await servers[follower].client.post("/api/v1/log/entries", json: request)
                #expect(repeated.status == 409)
                // Both nodes answer every lookup at once, with the same checkpoint eventually.
                for server in servers {
                    for uuid in uuids {
                        #expect(try await server.client.get("/api/v1/log/entries/\(uuid)").status == 200)
                    }
                }
                // Each node keeps its own tiles directory current, the follower from the store.
                let checkpoint = try await servers[leader].client.get("/checkpoint").body
                for directory in tiles {
                    var written: [UInt8]?
                    for _ in 0..<200 where written != checkpoint {
                        written = FileManager.default.contents(atPath: directory + "/checkpoint").map(Array.init)
                        if written != checkpoint { try await Task.sleep(for: .milliseconds(50)) }
                    }
                    #expect(written == checkpoint, "the tiles directory \(directory) is behind")
                }
                // The sequencer shuts down and gives the lease up: the other takes over at its next tick
                // (allowed 15 s: a sanitizer-slowed, fully loaded run is slow to start a sequencer).
                let started = ContinuousClock.now
                await servers[leader].serviceGroup.triggerGracefulShutdown()
                var tookOver = false
                while !tookOver && ContinuousClock.now - started < .seconds(15) {
                    tookOver = try await servers[follower].client.get("/healthz").object()["sequencer"] as? Bool == true
                    if !tookOver { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(tookOver)
                let after = try await servers[follower].client.post("/api/v1/log/entries", json: try signer.request("after").request)
                #expect(after.status == 201, "\(after.text)")
                #expect((try after.object().first?.value as? [String: Any])?["logIndex"] as? Int == 7)
            }
        }
    }
}

extension PostgresServerTests {
    /// A node whose data directory holds other keys than the log signs with refuses to start
    /// (two nodes that each ran `vellum keygen` would otherwise sign one log with two keys).
    @Test func aNodeWithOtherKeysIsRefused() async throws {
        let url = try TestPostgres.freshDatabase("otherkeys")
        try await TestServer.with(postgres: url) { _ in }
        await #expect {
            try await TestServer.with(postgres: url) { _ in }
        } throws: { error in
            "\(error)".contains("not the one this log signs with")
        }
    }
}
