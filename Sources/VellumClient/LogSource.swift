import VellumMerkle

/// One logged entry as a log served it.
public struct FetchedEntry: Sendable {
    public let index: UInt64
    /// The leaf: the canonical body the log committed to.
    public let body: [UInt8]
    /// The in-toto statement a Rekor v1 log returned with it (`attestation.data`), if any; not
    /// covered by the tree.
    public let attestation: [UInt8]?

    public init(index: UInt64, body: [UInt8], attestation: [UInt8]? = nil) {
        self.index = index
        self.body = body
        self.attestation = attestation
    }
}

/// What monitor and verify read from a log, through either API a log may offer: the C2SP
/// tlog-tiles read API (``TilesSource``) or the Rekor v1 API (``RekorV1Source``). Nothing a
/// source returns is trusted: callers check the checkpoint's signature, the proofs against it,
/// and the tree rebuilt from the entries.
public protocol LogSource: Sendable {
    var transport: any LogTransport { get }
    /// The latest signed checkpoint, as the note text.
    func latestCheckpoint() async throws(ClientError) -> String
    /// Entries `range` of the tree of `treeSize`, in index order.
    func entries(_ range: Range<UInt64>, treeSize: UInt64) async throws(ClientError) -> [FetchedEntry]
    /// An RFC 6962 consistency proof between two sizes (0 < oldSize < newSize).
    func consistencyProof(oldSize: UInt64, newSize: UInt64) async throws(ClientError) -> [Hash]
    /// The compact range of the first `size` leaves, read at `treeSize` > `size`.
    func compactRange(size: UInt64, treeSize: UInt64) async throws(ClientError) -> CompactRange
    /// The largest number of entries one `entries` call should ask for.
    var preferredBatch: Int { get }
}

/// Which API to read a log through.
public enum LogAPI: String, Sendable, CaseIterable {
    case tiles
    case v1

    /// A source for `transport` through this API.
    public func source(_ transport: any LogTransport) -> any LogSource {
        switch self {
        case .tiles: TilesSource(transport: transport)
        case .v1: RekorV1Source(transport: transport)
        }
    }

    /// The API a log offers: tiles when `/checkpoint` answers, else the Rekor v1 API.
    public static func probe(_ transport: any LogTransport) async throws(ClientError) -> LogAPI {
        let reply = try await transport.get("/checkpoint")
        return reply.status == 200 ? .tiles : .v1
    }
}
