import Hummingbird
import VellumMerkle
import VellumRekor

/// `POST /api/v1/index/retrieve` (spec §8): entry IDs by artifact digest, public key, email or
/// certificate subject, combined with `or` (default) or `and`.
struct IndexController {
    let log: RekorLog
    let maxRequestBytes: Int
    /// Rekor's answer is unbounded; ours stops here so one popular key cannot exhaust memory.
    static let maxResults = 100_000

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/api/v1/index/retrieve") { request, _ in await Replies.guarded { try await search(request) } }
    }

    func search(_ request: Request) async throws -> Response {
        let bytes = try await request.collectBody(limit: maxRequestBytes)
        let query = try SearchIndexQuery.parse(json: bytes)
        var matches: Set<UInt64>?
        for criterion in query.criteria {
            var found = Set<UInt64>()
            for key in criterion { found.formUnion(try log.storage.indices(forKey: Array(key.utf8), limit: Self.maxResults)) }
            if let current = matches {
                matches = query.operator == .and ? current.intersection(found) : current.union(found)
            } else {
                matches = found
            }
        }
        let treeSize = try log.latestSize()
        var json = JSONWriter(capacity: 90 * (matches?.count ?? 0) + 2)
        json.beginArray()
        for index in (matches ?? []).sorted().prefix(Self.maxResults) {
            guard let body = try log.body(at: index, treeSize: treeSize) else { continue }
            json.string(log.entryID(RFC6962.leafHash(body)))
        }
        json.endArray()
        return Replies.json(json.bytes)
    }
}
