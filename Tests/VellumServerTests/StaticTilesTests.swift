import Foundation
import Testing
import VellumMerkle
import VellumNote
import VellumStorage
import VellumSync
@testable import VellumServer

/// `--tiles-dir`: the files are the server's own tlog-tiles answers, complete for the checkpoint
/// they hold, written after each batch, caught up at start, and never published half-written.
@Suite struct StaticTilesTests {
    /// Uploads `count` entries, `concurrency` at a time (so that batches hold several).
    static func upload(_ count: Int, to server: TestServer, signer: TestSigner, tag: String, concurrency: Int = 16) async throws {
        var next = 0
        while next < count {
            let round = min(concurrency, count - next)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in next..<next + round {
                    group.addTask {
                        let response = try await server.client.post("/api/v1/log/entries", json: try signer.request("\(tag) \(number)").request)
                        guard response.status == 201 else { throw TestFailure("upload: \(response.status) \(response.text)") }
                    }
                }
                try await group.waitForAll()
            }
            next += round
        }
    }

    /// Waits until the directory is settled on the server's current checkpoint: the checkpoint
    /// file is it, every tile and bundle it implies is there, no temporary file is left, and the
    /// partial versions of full tiles are gone (the writer's last step). Returns the checkpoint.
    static func awaitPublished(_ directory: String, server: TestServer) async throws -> [UInt8] {
        let served = try await server.client.get("/checkpoint").body
        let size = try Checkpoint(text: try Note(parsing: served).text).size
        var files: [String] = []
        var superseded: [String] = []
        for address in TileLayout.c2sp.changedTiles(from: 0, to: size) {
            var paths = [try TilePath(address: address).description]
            if address.id.level == 0 {
                paths.append(try TilePath(entryBundle: address.id.index, width: address.width).description)
            }
            files += paths
            if address.width == TilePath.fullWidth { superseded += paths.map { $0 + ".p" } }
        }
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: directory + "/" + path) }
        var unsettled: [String] = []
        for _ in 0..<1000 {
            unsettled = files.filter { !exists($0) }.map { "missing \($0)" } + superseded.filter(exists).map { "left \($0)" }
                + temporaryFiles(directory).map { "temporary \($0)" }
            if FileManager.default.contents(atPath: directory + "/checkpoint").map(Array.init) != served {
                unsettled.append("checkpoint differs")
            }
            if unsettled.isEmpty { return served }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("the tiles directory did not settle on size \(size) in 10 s: \(unsettled.prefix(10))")
    }

    static func temporaryFiles(_ directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var found: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            if (relative as NSString).lastPathComponent.hasPrefix(".") { found.append(relative) }
        }
        return found
    }

    /// Once settled, every file under `directory` is what the server answers at its path.
    /// Returns the paths found.
    @discardableResult
    static func expectDirectoryMatchesAPI(_ directory: String, server: TestServer) async throws -> Set<String> {
        _ = try await awaitPublished(directory, server: server)
        var found: Set<String> = []
        let enumerator = try #require(FileManager.default.enumerator(atPath: directory))
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            found.insert(relative)
            let file = Array(try #require(FileManager.default.contents(atPath: directory + "/" + relative)))
            let response = try await server.client.get("/" + relative)
            let same = response.body == file
            #expect(response.status == 200, "\(relative): \(response.status)")
            #expect(same, "\(relative): \(file.count) bytes in the file, \(response.body.count) served, not the same")
        }
        #expect(found.contains("checkpoint"))
        return found
    }

    @Test func filesEqualTheServedTilesAcrossBatchesAndATileBoundary() async throws {
        let tiles = TestServer.temporaryDirectory() + "/tiles"
        defer { try? FileManager.default.removeItem(atPath: (tiles as NSString).deletingLastPathComponent) }
        try await TestServer.with(configure: { $0.tilesDirectory = tiles }) { server in
            let signer = TestSigner()
            // 5, 200, 250 (partial tiles only), then 300 and 530: level-0 tiles 0 and 1 full.
            var uploaded = 0
            for total in [5, 200, 250, 300, 530] {
                try await Self.upload(total - uploaded, to: server, signer: signer, tag: "to \(total)")
                uploaded = total
                let found = try await Self.expectDirectoryMatchesAPI(tiles, server: server)
                if total == 300 {
                    #expect(found.isSuperset(of: ["tile/0/000", "tile/entries/000", "tile/0/001.p/44",
                                                  "tile/entries/001.p/44", "tile/1/000.p/1"]))
                    // Partial versions of a full tile go once a checkpoint implies the full one.
                    #expect(!found.contains { $0.hasPrefix("tile/0/000.p/") || $0.hasPrefix("tile/entries/000.p/") })
                }
            }
            #expect(try server.log.latestSize() == 530)
        }
    }

    /// A first start with `--tiles-dir` on a log that has entries writes them all; a file lost
    /// from the directory is written again at the next start.
    @Test func aStartCatchesUpOnWhatIsMissing() async throws {
        let data = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tiles = data + "/public"
        let signer = TestSigner()
        try await TestServer.with(dataDirectory: data) { server in
            try await Self.upload(270, to: server, signer: signer, tag: "before")
        }
        let first = try await TestServer.with(dataDirectory: data, configure: { $0.tilesDirectory = tiles }) { server in
            try await Self.expectDirectoryMatchesAPI(tiles, server: server)
        }
        #expect(first.isSuperset(of: ["tile/0/000", "tile/entries/000", "tile/0/001.p/14", "tile/entries/001.p/14", "tile/1/000.p/1"]))
        try FileManager.default.removeItem(atPath: tiles + "/tile/entries/000")
        try FileManager.default.removeItem(atPath: tiles + "/tile/0/001.p/14")
        try await TestServer.with(dataDirectory: data, configure: { $0.tilesDirectory = tiles }) { server in
            let found = try await Self.expectDirectoryMatchesAPI(tiles, server: server)
            #expect(found.isSuperset(of: ["tile/entries/000", "tile/0/001.p/14"]))
        }
    }

    /// A write that fails half-way (the store fails after some reads) leaves the previous
    /// checkpoint in place with every file it implies, and the next write completes it.
    @Test func aFailedWriteKeepsThePreviousCheckpointWhole() async throws {
        let data = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tiles = data + "/public"
        try await TestServer.with(dataDirectory: data) { server in
            let signer = TestSigner()
            try await Self.upload(3, to: server, signer: signer, tag: "first")
            let first = try server.log.latestCheckpoint()
            var writer = try StaticTilesWriter(storage: server.log.storage, origin: server.log.origin, directory: tiles)
            _ = try writer.publish(first)
            try await Self.upload(600, to: server, signer: signer, tag: "second")
            let second = try server.log.latestCheckpoint()
            let failing = FailingReads(base: server.log.storage, allowed: 2)
            var broken = try StaticTilesWriter(storage: failing, origin: server.log.origin, directory: tiles)
            #expect(throws: FailingReads.Injected.self) { _ = try broken.publish(second) }
            #expect(FileManager.default.contents(atPath: tiles + "/checkpoint").map(Array.init) == first.note)
            for path in ["tile/0/000.p/3", "tile/entries/000.p/3"] {
                #expect(FileManager.default.fileExists(atPath: tiles + "/" + path), "\(path)")
            }
            // The next write (a fresh writer, as after a restart) completes the directory.
            var fresh = try StaticTilesWriter(storage: server.log.storage, origin: server.log.origin, directory: tiles)
            let outcome = try fresh.publish(second)
            #expect(outcome.checkpointWritten && outcome.present > 0 && outcome.removedPartials == 2)
            try await Self.expectDirectoryMatchesAPI(tiles, server: server)
        }
    }

    @Test func aDirectoryHoldingAnotherLogsCheckpointIsRefused() async throws {
        let data = TestServer.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let tiles = data + "/public"
        try await TestServer.with(dataDirectory: data, configure: { $0.tilesDirectory = tiles }) { server in
            try await Self.upload(1, to: server, signer: TestSigner(), tag: "one")
            _ = try await Self.awaitPublished(tiles, server: server)
        }
        #expect(throws: StaticTilesWriter.ForeignDirectory.self) {
            _ = try StaticTilesWriter(storage: InMemoryLogStorage(), origin: "another.example - 1", directory: tiles)
        }
        try Array("not a note".utf8).withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: tiles + "/checkpoint")) }
        #expect(throws: StaticTilesWriter.ForeignDirectory.self) {
            _ = try StaticTilesWriter(storage: InMemoryLogStorage(), origin: "another.example - 1", directory: tiles)
        }
    }
}

/// Tile and bundle reads that fail after `allowed` of them.
private final class FailingReads: TileStorage, EntryBundleStorage {
    struct Injected: Error {}
    let base: any TileStorage & EntryBundleStorage
    let remaining: Locked<Int>

    init(base: any TileStorage & EntryBundleStorage, allowed: Int) {
        self.base = base
        self.remaining = Locked(allowed)
    }

    private func take() throws {
        guard remaining.withLock({ count in defer { count -= 1 }; return count > 0 }) else { throw Injected() }
    }

    func tiles(_ ids: [TileID]) throws -> [Tile] {
        try take()
        return try base.tiles(ids)
    }

    func entryBundle(index: UInt64) throws -> [UInt8]? {
        try take()
        return try base.entryBundle(index: index)
    }
}
