import Crypto
import Foundation
import VellumClient
import VellumMerkle
import VellumNote
import VellumSync

/// A log for tests that serves Vellum's read APIs (tlog-tiles and the Rekor v1 subset the client
/// uses) from a tree it builds itself, and lies on request: it can fork (replace its leaves
/// after some size and sign the new tree with the real key), roll back, serve other entries than
/// the ones its tree holds, sign with the wrong key, or stop answering after a number of requests.
final class LyingLog: LogTransport, @unchecked Sendable {
    struct Lies {
        /// Entries served in place of the tree's own, by index (the tree and its checkpoint stay honest).
        var swappedEntries: [UInt64: [UInt8]] = [:]
        /// Serve the checkpoint of this size instead of the latest (a rollback if smaller than one seen).
        var checkpointSize: UInt64?
        /// Sign checkpoints with this key instead of the log's.
        var wrongSigner: ECDSANoteSigner?
        /// Throw ``ClientError/unreachable(_:reason:)`` once this many requests were answered.
        var failAfterRequests: Int?
    }

    let base: String
    let origin: String
    let signer: ECDSANoteSigner
    private let state = Locked<(leaves: [[UInt8]], lies: Lies, requests: Int)>(([], Lies(), 0))

    init(base: String = "http://lying.test", signer: ECDSANoteSigner, treeID: Int64 = 4242) {
        self.base = base
        self.signer = signer
        self.origin = "\(signer.name) - \(treeID)"
    }

    var publicKeyPEM: String { signer.privateKey.publicKey.pemRepresentation + "\n" }

    func append(_ entries: [[UInt8]]) { state.withLock { $0.leaves += entries } }
    /// Replaces every leaf from `index` on: a fork once a checkpoint past `index` was seen.
    func fork(at index: Int, with entries: [[UInt8]]) {
        state.withLock { $0.leaves = Array($0.leaves.prefix(index)) + entries }
    }
    func lie(_ change: (inout Lies) -> Void) { state.withLock { change(&$0.lies) } }
    var requests: Int { state.withLock { $0.requests } }
    var size: UInt64 { UInt64(state.withLock { $0.leaves.count }) }

    func get(_ path: String) async throws(ClientError) -> HTTPReply {
        let (leaves, lies) = try take()
        return answer(path: path, leaves: leaves, lies: lies)
    }

    func post(_ path: String, json: [UInt8]) async throws(ClientError) -> HTTPReply {
        let (leaves, lies) = try take()
        guard path == "/api/v1/log/entries/retrieve",
              let query = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
              let indexes = query["logIndexes"] as? [Int] else { return HTTPReply(status: 400, body: []) }
        let items: [[String: Any]] = indexes.compactMap { index in
            guard index < leaves.count else { return nil }
            let body = lies.swappedEntries[UInt64(index)] ?? leaves[index]
            return [RFC6962.leafHash(leaves[index]).hex: ["logIndex": index, "body": Data(body).base64EncodedString()]]
        }
        return self.json(items)
    }

    private func take() throws(ClientError) -> ([[UInt8]], Lies) {
        let taken = state.withLock { state -> ([[UInt8]], Lies)? in
            if let limit = state.lies.failAfterRequests, state.requests >= limit { return nil }
            state.requests += 1
            return (state.leaves, state.lies)
        }
        guard let taken else { throw .unreachable(base, reason: "the lying log stopped answering") }
        return taken
    }

    private func answer(path: String, leaves: [[UInt8]], lies: Lies) -> HTTPReply {
        let size = lies.checkpointSize.map { min($0, UInt64(leaves.count)) } ?? UInt64(leaves.count)
        let tree = Self.tiles(leaves.map { RFC6962.leafHash($0) })
        if path == "/checkpoint" { return text(note(size: size, leaves: leaves, lies: lies)) }
        if path == "/api/v1/log" { return json(["signedTreeHead": note(size: size, leaves: leaves, lies: lies), "treeSize": size]) }
        if path.hasPrefix("/api/v1/log/proof?") {
            let numbers = path.split(whereSeparator: { "=&".contains($0) }).compactMap { UInt64($0) }
            guard numbers.count == 2, let plan = try? ConsistencyProof.plan(oldSize: numbers[0], newSize: numbers[1]),
                  let hashes = try? plan.assemble(tiles: tree) else { return HTTPReply(status: 400, body: []) }
            return json(["hashes": hashes.map(\.hex)])
        }
        if path.hasPrefix("/api/v1/log/entries?logIndex="), let index = UInt64(path.split(separator: "=").last!), index < leaves.count {
            guard let plan = try? InclusionProof.plan(leafIndex: index, treeSize: UInt64(leaves.count)),
                  let hashes = try? plan.assemble(tiles: tree) else { return HTTPReply(status: 500, body: []) }
            return json([RFC6962.leafHash(leaves[Int(index)]).hex: ["logIndex": index, "verification": ["inclusionProof": [
                "hashes": hashes.map(\.hex), "logIndex": index, "treeSize": leaves.count]]]])
        }
        if let tilePath = try? TilePath(parsing: path.dropFirst()) {
            switch tilePath.kind {
            case .entries:
                let start = Int(tilePath.index) * TilePath.fullWidth
                guard start + tilePath.width <= leaves.count else { return HTTPReply(status: 404, body: []) }
                let served = (start..<start + tilePath.width).map { lies.swappedEntries[UInt64($0)] ?? leaves[$0] }
                return HTTPReply(status: 200, body: EntryBundle(entries: served).bytes)
            case .hashes(let level):
                guard let tile = tree.first(where: { $0.id == TileID(level: level, index: tilePath.index) }),
                      tile.width >= tilePath.width else { return HTTPReply(status: 404, body: []) }
                return HTTPReply(status: 200, body: tile.hashes.prefix(tilePath.width).flatMap(\.bytes))
            }
        }
        return HTTPReply(status: 404, body: Array("{\"code\":404,\"message\":\"not found\"}".utf8))
    }

    private func note(size: UInt64, leaves: [[UInt8]], lies: Lies) -> String {
        var range = CompactRange()
        for leaf in leaves.prefix(Int(size)) { range.append(RFC6962.leafHash(leaf)) }
        let checkpoint = try! Checkpoint(origin: origin, size: size, root: range.root, extensions: ["Timestamp: 1"])
        return try! checkpoint.sign(signers: [lies.wrongSigner ?? signer])
    }

    /// Every tile of the tree, at its current width.
    static func tiles(_ leafHashes: [Hash]) -> [Tile] {
        var tree = TiledTree()
        var tiles: [TileID: Tile] = [:]
        for tile in tree.integrate(leafHashes).tiles { tiles[tile.id] = tile }
        return Array(tiles.values)
    }

    private func text(_ string: String) -> HTTPReply { HTTPReply(status: 200, body: Array(string.utf8)) }
    private func json(_ object: Any) -> HTTPReply {
        HTTPReply(status: 200, body: Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }
}
