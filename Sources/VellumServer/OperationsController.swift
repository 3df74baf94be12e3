import HTTPTypes
import Hummingbird
import VellumRekor

/// Endpoints for operators: `/healthz`, `/metrics`, Rekor's `/ping`, and the OpenAPI document.
struct OperationsController {
    let log: RekorLog
    let metrics: ServerMetrics

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in await Replies.guarded { try health() } }
        router.get("/ping") { _, _ in Replies.text(".", contentType: "text/plain; charset=utf-8") }
        router.get("/metrics") { _, _ in
            Replies.bytes(metrics.registry.emitToBuffer(), contentType: "text/plain; version=0.0.4; charset=utf-8",
                          headers: [.cacheControl: "no-store"])
        }
        router.get("/api/v1/openapi.json") { _, _ in
            Replies.text(OpenAPIDocument.json(treeID: log.treeID), contentType: "application/json")
        }
    }

    /// Healthy when the store answers a read and the log has a signed checkpoint; says whether
    /// this node sequences (always, with a store one process owns; while it holds the writer
    /// lease, with a shared one).
    func health() throws -> Response {
        let size = try log.latestSize()
        var json = JSONWriter(capacity: 64)
        json.beginObject()
        json.key("status"); json.string("ok")
        json.key("treeSize"); json.integer(Int64(size))
        json.key("sequencer"); json.bool(log.isSequencing)
        json.endObject()
        return Replies.json(json.bytes, headers: [.cacheControl: "no-store"])
    }
}
