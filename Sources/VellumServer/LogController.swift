import HTTPTypes
import Hummingbird
import VellumMerkle
import VellumRekor

/// `/api/v1/log`, `/api/v1/log/publicKey`, `/api/v1/log/proof` (spec §1.1–§1.3).
struct LogController {
    let log: RekorLog

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/log") { _, _ in await Replies.guarded { try logInfo() } }
        router.get("/api/v1/log/publicKey") { request, _ in await Replies.guarded { try publicKey(request) } }
        router.get("/api/v1/log/proof") { request, _ in await Replies.guarded { try proof(request) } }
    }

    /// The active tree's size, root and signed tree head (Rekor v1 checkpoint, ECDSA only).
    func logInfo() throws -> Response {
        let checkpoint = try log.proofCheckpoint()
        var json = JSONWriter(capacity: 512)
        json.beginObject()
        json.key("inactiveShards"); json.null()
        json.key("rootHash"); json.hex(checkpoint.root)
        json.key("signedTreeHead"); json.string(log.v1Note(checkpoint.note))
        json.key("treeID"); json.string(String(log.treeID))
        json.key("treeSize"); json.integer(Int64(checkpoint.size))
        json.endObject()
        return Replies.json(json.bytes, headers: Replies.noCache)
    }

    func publicKey(_ request: Request) throws -> Response {
        if let tree = request.query("treeID") {
            guard !tree.isEmpty, tree.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw APIError.validation(605, "treeID in query should match '^[0-9]+$'")
            }
            guard Int64(tree) == log.treeID else { throw APIError.badRequest("unknown treeID \(tree)") }
        }
        return Replies.text(log.publicKeyPEM, contentType: "application/x-pem-file", headers: Replies.noCache)
    }

    /// The consistency proof between two sizes; `rootHash` is the root at `lastSize` (the
    /// current root when `lastSize` is the current size, as Rekor answers).
    func proof(_ request: Request) throws -> Response {
        let first = try Self.size(request, "firstSize", default: 1)
        let last = try Self.size(request, "lastSize", default: nil)
        if let tree = request.query("treeID"), Int64(tree) != log.treeID {
            throw APIError.badRequest("unknown treeID \(tree)")
        }
        guard first <= last else {
            throw APIError.badRequest("firstSize(\(first)) must be less than lastSize(\(last))")
        }
        let checkpoint = try log.proofCheckpoint()
        guard last <= checkpoint.size else {
            throw APIError.badRequest("the tree size requested(\(last)) was greater than what is currently observable(\(checkpoint.size))")
        }
        let hashes = try log.consistencyProof(oldSize: first, newSize: last)
        let root = last == checkpoint.size ? checkpoint.root : try log.root(size: last, treeSize: checkpoint.size)
        var json = JSONWriter(capacity: 128 + 68 * hashes.count)
        json.beginObject()
        json.key("hashes"); json.hexArray(hashes)
        json.key("rootHash"); json.hex(root)
        json.endObject()
        return Replies.json(json.bytes, headers: Replies.noCache)
    }

    /// A size query parameter: an integer ≥ 1 (go-openapi's 601/602/609 codes otherwise).
    static func size(_ request: Request, _ name: String, default fallback: UInt64?) throws -> UInt64 {
        guard let text = request.query(name) else {
            if let fallback { return fallback }
            throw APIError.validation(602, "\(name) in query is required")
        }
        guard let value = Int64(text) else { throw APIError.validation(601, "\(name) in query must be of type int64: \"\(text)\"") }
        guard value >= 1 else { throw APIError.validation(609, "\(name) in query should be greater than or equal to 1") }
        return UInt64(value)
    }
}
