import Foundation

/// Everything `vellum serve` can be told, with the defaults a fresh machine runs on.
public struct ServerConfiguration: Sendable {
    /// Address to listen on.
    public var host = "127.0.0.1"
    /// TCP port; 0 picks a free one (tests), reported through `onListening`.
    public var port = 3000
    /// Directory holding the SQLite file and the keys; created if missing.
    public var dataDirectory = "./vellum-data"
    /// The checkpoint origin's host part and the name on signature lines (Rekor v1 uses
    /// `<hostname> - <treeID>` as the origin). Defaults to the machine's host name.
    public var hostname: String = ServerConfiguration.systemHostname()
    /// The Rekor tree ID (a positive int64). Chosen at random and stored on first start when
    /// not given; a value that disagrees with the stored one is refused.
    public var treeID: Int64?
    /// A batch closes at this many entries…
    public var maxBatchSize = 1024
    /// …or when its oldest entry is this old.
    public var maxBatchAge: Duration = .milliseconds(2)
    /// Entries waiting for a batch beyond which uploads get 503 + Retry-After.
    public var maxPoolSize = 100_000
    /// Largest request body accepted, in bytes (413 beyond). A hashedrekord with a chain of ten
    /// certificates stays far below this; the canonical body itself is capped at 65,535 bytes
    /// by the entry-bundle format.
    public var maxRequestBytes = 1 << 20
    /// Read connections for proofs and lookups.
    public var readers = 4
    /// Keep the statement of each intoto entry (its attestation) and return it on reads as
    /// `attestation.data`, as Rekor's `--enable_attestation_storage` does. Off by default, as in
    /// Rekor; dsse entries never have one.
    public var attestationStorage = false
    /// Statements larger than this many bytes are not kept (the entry is logged without one),
    /// as Rekor's `--max_attestation_size`.
    public var maxAttestationBytes = 100 * 1024
    /// With a shared store (several nodes): the URL other nodes forward uploads to while this
    /// node sequences. Nil: `http://<host>:<port>` as listened on.
    public var advertisedAddress: String?
    /// Where to write the tlog-tiles read API as static files after each durable batch
    /// (`StaticTilesPublisher`), for a web server or CDN to serve; nil: not written.
    public var tilesDirectory: String?

    public init() {}

    /// The database file inside the data directory.
    public var databasePath: String { (dataDirectory as NSString).appendingPathComponent("vellum.sqlite") }

    public static func systemHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
