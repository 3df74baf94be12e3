/// What a proof (or an earlier root) is made of, before any hash is read: a list of elements,
/// each the RFC 6962 hash of one or more perfect subtrees folded from the right. Only the
/// right-border element of an inclusion path (the ephemeral node) has more than one.
///
/// Plan, read once, assemble: `tiles(in:)` lists the tiles to read at `treeSize` (at most two
/// per tile level), `assemble(tiles:layout:)` turns them into the proof hashes.
public struct ProofPlan: Hashable, Sendable {
    /// The tree size the nodes are read at; every node is complete in it.
    public let treeSize: UInt64
    /// All perfect nodes, element by element.
    public let nodes: [NodeID]
    /// `elementEnds[i]` is one past the last node of element i in `nodes`.
    public let elementEnds: [Int]

    init(treeSize: UInt64, elements: [[NodeID]]) {
        self.treeSize = treeSize
        self.nodes = elements.flatMap { $0 }
        var end = 0
        self.elementEnds = elements.map { end += $0.count; return end }
    }

    /// From the nodes of all elements in order and where each element ends (no array per
    /// element: proof servers plan one proof per request).
    init(treeSize: UInt64, nodes: [NodeID], elementEnds: [Int]) {
        self.treeSize = treeSize
        self.nodes = nodes
        self.elementEnds = elementEnds
    }

    /// The number of hashes the assembled proof will have.
    public var count: Int { elementEnds.count }

    /// The nodes of each element, in proof order.
    public var elements: [ArraySlice<NodeID>] {
        var start = 0
        return elementEnds.map { end in defer { start = end }; return nodes[start..<end] }
    }

    /// The distinct tiles (with their widths at `treeSize`) that hold every planned node.
    public func tiles(in layout: TileLayout = .c2sp) -> [TileAddress] {
        // At most two tiles per level: a linear search beats hashing.
        var result: [TileAddress] = []
        for node in nodes {
            let id = layout.location(of: node).tile
            if !result.contains(where: { $0.id == id }) {
                result.append(TileAddress(id: id, width: layout.width(of: id, treeSize: treeSize)))
            }
        }
        return result
    }

    /// Builds the proof from node hashes supplied by `hash(of:)`.
    public func assemble<E: Error>(_ hash: (NodeID) throws(E) -> Hash) throws(E) -> [Hash] {
        var result: [Hash] = []
        result.reserveCapacity(count)
        var start = 0
        for end in elementEnds {
            var folded = try hash(nodes[end - 1])
            for node in nodes[start..<end - 1].reversed() {
                folded = RFC6962.nodeHash(left: try hash(node), right: folded)
            }
            result.append(folded)
            start = end
        }
        return result
    }

    /// Builds the proof from tiles read at `treeSize` (wider tiles of a later size work too:
    /// a wider tile starts with the narrower one).
    public func assemble(tiles: [Tile], layout: TileLayout = .c2sp) throws(ProofError) -> [Hash] {
        try assemble { node throws(ProofError) -> Hash in
            let (id, range) = layout.location(of: node)
            guard let tile = tiles.first(where: { $0.id == id }), tile.width >= range.upperBound else {
                throw .missingTile(TileAddress(id: id, width: range.upperBound))
            }
            return tile.root(of: range)
        }
    }
}
