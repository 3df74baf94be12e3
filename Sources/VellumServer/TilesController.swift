import HTTPTypes
import Hummingbird
import VellumMerkle

/// The C2SP tlog-tiles read API: `/checkpoint`, `/tile/<L>/<N>[.p/<W>]`,
/// `/tile/entries/<N>[.p/<W>]`. Everything is read from the read pool, checked against the
/// latest checkpoint first, so nothing beyond a signed tree is ever served.
struct TilesController {
    let log: RekorLog

    /// Full tiles and bundles never change: cache them for good. Partial ones are immutable
    /// too once they exist, but clients should move on to wider ones soon; the checkpoint moves.
    static let immutable = "public, max-age=31536000, immutable"
    static let partial = "public, max-age=10"
    static let checkpointCache = "no-store"

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/checkpoint") { _, _ in await Replies.guarded { try checkpoint() } }
        router.get("/tile/**") { request, _ in await Replies.guarded { try tile(path: request.uri.path) } }
    }

    /// The latest checkpoint as a C2SP signed note: the Ed25519 signature line first, then the
    /// ECDSA one that Rekor v1 clients check.
    func checkpoint() throws -> Response {
        let latest = try log.latestCheckpoint()
        return Replies.bytes(latest.note, contentType: "text/plain; charset=utf-8",
                             headers: [.cacheControl: Self.checkpointCache])
    }

    func tile(path: String) throws -> Response {
        let tilePath: TilePath
        do {
            tilePath = try TilePath(parsing: path.drop { $0 == "/" })
        } catch {
            throw APIError.badRequest("malformed tile path \(path): \(error)")
        }
        let treeSize = try log.latestSize()
        let headers: HTTPFields = [.cacheControl: tilePath.isPartial ? Self.partial : Self.immutable]
        switch tilePath.kind {
        case .hashes(let level):
            let id = TileID(level: level, index: tilePath.index)
            guard tilePath.width <= TileLayout.c2sp.width(of: id, treeSize: treeSize),
                  let tile = try log.storage.tiles([id]).first,
                  let bytes = TileBytes.hashes(of: tile, width: tilePath.width) else {
                return Self.beyondTree(path)
            }
            return Replies.bytes(bytes, contentType: "application/octet-stream", headers: headers)
        case .entries:
            let first = tilePath.index.multipliedReportingOverflow(by: UInt64(TilePath.fullWidth))
            guard !first.overflow, first.partialValue + UInt64(tilePath.width) <= treeSize,
                  let bundle = try log.storage.entryBundle(index: tilePath.index),
                  let bytes = try TileBytes.entries(of: bundle, width: tilePath.width) else {
                return Self.beyondTree(path)
            }
            return Replies.bytes(bytes, contentType: "application/octet-stream", headers: headers)
        }
    }

    static func beyondTree(_ path: String) -> Response {
        APIError(status: .notFound, message: "\(path) is beyond the signed tree").response
    }
}
